# SPDX-License-Identifier: GPL-2.0
#
# make          build module/counterlab.ko, the counterlab CLI and the tests
# make install  (root) the module to /lib/modules/KVER/extra/module/, the CLI to
#               PREFIX/bin (/usr/local/bin); DESTDIR honoured; make uninstall
# make demo     boot the test kernel in QEMU, run the default experiment
# make check    boot it, run every selftest, end with "N passed, M failed"
# make bench    the benchmarks: the harness's cost; kernel vs userspace,
#               sweeps and plots (bench/results/), locktorture beside spinlock/mutex
# make stress   the torture run: fuzzing, signals, unload races, faults
# make deps     install what is missing (Debian 12, apt)
# make lint     checkpatch --strict, sparse, shellcheck (TAP)
# make dkms-install, make dkms-remove    the module under DKMS (root)
# make debug-kernel [FLAVOR=kcsan|kasan]   build the debug test kernel;
#               then make check KERNEL=debug [FLAVOR=...] runs the suite on it
#
# KVER/KDIR select the kernel to build against: for make, the running kernel
# when its headers are installed; for demo, bench and check, the test kernel
# the VM boots (Debian's linux-image-amd64). VMFLAGS go to vm/run.

KVER ?= $(shell kernels/kver)
KDIR ?= /lib/modules/$(KVER)/build
# The VM's kernel: KVER when given, else linux-image-amd64's release.
VM_KVER = $(if $(filter command line environment,$(origin KVER)),$(KVER),$(shell kernels/kver --vm))
BUILD := $(CURDIR)/build
KSRC_TAR ?= /usr/src/linux-source-6.1.tar.xz
KSRC := $(BUILD)/ksrc
KSFT := $(KSRC)/tools/testing/selftests
KSFT_INSTALL := $(BUILD)/kselftest
USERSPACE := $(BUILD)/userspace
PREFIX ?= /usr/local
DESTDIR ?=
VMFLAGS ?=

# What is taken from the kernel source: the kselftest framework and
# checkpatch.pl. Extracted, never committed.
KSRC_FILES := \
	'linux-source-6.1/tools/testing/selftests/kselftest*' \
	linux-source-6.1/tools/testing/selftests/run_kselftest.sh \
	linux-source-6.1/scripts/checkpatch.pl \
	linux-source-6.1/scripts/spelling.txt \
	linux-source-6.1/scripts/const_structs.checkpatch

# The selftests need the kselftest framework from linux-source-6.1: without
# it (a test machine with only headers), make builds the module alone.
all: module cli
	@if [ -r $(KSRC_TAR) ] || [ -e $(KSRC)/.stamp ]; then \
		$(MAKE) --no-print-directory selftests cli-tests; \
	else \
		echo "note: selftests not built: no $(KSRC_TAR) (make deps)"; \
	fi

# The command-line tool (userspace/), static: it also runs in the VM.
cli:
	$(MAKE) -C userspace OUTPUT=$(USERSPACE)

cli-tests: $(KSRC)/.stamp
	$(MAKE) -C userspace OUTPUT=$(USERSPACE) KSFT_DIR=$(KSFT) tests

install: module cli
	@[ "$(KVER)" = "$$(uname -r)" ] || \
		echo "note: installing for $(KVER), not the running kernel $$(uname -r)"
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(DESTDIR) \
		INSTALL_MOD_DIR=extra modules_install
	depmod $(if $(DESTDIR),-b $(DESTDIR)) $(KVER)
	$(MAKE) -C userspace OUTPUT=$(USERSPACE) PREFIX=$(PREFIX) \
		DESTDIR=$(DESTDIR) install

uninstall:
	rm -f $(DESTDIR)/lib/modules/$(KVER)/extra/module/counterlab.ko*
	-rmdir $(DESTDIR)/lib/modules/$(KVER)/extra/module \
		$(DESTDIR)/lib/modules/$(KVER)/extra 2>/dev/null
	depmod $(if $(DESTDIR),-b $(DESTDIR)) $(KVER)
	$(MAKE) -C userspace OUTPUT=$(USERSPACE) PREFIX=$(PREFIX) \
		DESTDIR=$(DESTDIR) uninstall

module:
	@test -n "$(KVER)" -a -e "$(KDIR)/Makefile" || \
		{ echo "no kernel headers at '$(KDIR)': run make deps" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

$(KSRC)/.stamp: $(KSRC_TAR)
	rm -rf $(KSRC) && mkdir -p $(KSRC)
	tar -xf $< -C $(KSRC) --strip-components=1 --wildcards $(KSRC_FILES)
	touch $@

$(KSRC_TAR):
	@echo "no $@: run make deps" >&2; exit 1

ksrc: $(KSRC)/.stamp

selftests: $(KSRC)/.stamp
	$(MAKE) -C selftests KSFT_DIR=$(KSFT) OUTPUT=$(BUILD)/selftests

# The upstream layout (selftests/Makefile), which make check boots.
kselftest-install: selftests
	rm -rf $(KSFT_INSTALL)
	$(MAKE) -C selftests KSFT_DIR=$(KSFT) OUTPUT=$(BUILD)/selftests \
		INSTALL_PATH=$(KSFT_INSTALL) install

checkpatch: $(KSRC)/.stamp
	$(KSRC)/scripts/checkpatch.pl --strict --no-tree --terse \
		--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f \
		$(filter-out %.mod.c,$(wildcard module/*.c)) module/*.h

# Static checks (TAP): checkpatch --strict on module and selftests, sparse
# (C=2, with W=1), shellcheck on every shell script.
lint: $(KSRC)/.stamp
	KVER=$(KVER) KDIR=$(KDIR) tests/lint

# DKMS (root): add, build and install for KVER; remove from every kernel.
dkms-install:
	pkg/dkms install $(KVER)

dkms-remove:
	pkg/dkms remove

deps:
	pkg/deps

# Which kernel demo, bench and check boot: Debian's (default), or with
# KERNEL=debug the debug kernel of FLAVOR (kcsan or kasan), built once by
# kernels/debug-kernel. VM_SETUP sets $1 image, $2 KDIR, $3 release.
KERNEL ?=
FLAVOR ?= kcsan
REQUIRED := counterlab_test counterlab_lifecycle counterlab_stress \
	counterlab_dmesg.sh
ifeq ($(KERNEL),debug)
VM_SETUP = kernels/debug-kernel $(FLAVOR) && \
	set -- $$(kernels/debug-kernel $(FLAVOR) --print) && \
	export DEBUG_FLAVOR=$(FLAVOR)
REQUIRED += counterlab_kmemleak.sh $(if $(filter kcsan,$(FLAVOR)),counterlab_kcsan)
else ifeq ($(KERNEL),)
VM_SETUP = set -- /boot/vmlinuz-$(VM_KVER) /lib/modules/$(VM_KVER)/build $(VM_KVER)
else
$(error KERNEL is empty (Debian's kernel) or debug, not '$(KERNEL)')
endif

debug-kernel: deps
	kernels/debug-kernel $(FLAVOR)

demo: deps
	@$(VM_SETUP) && $(MAKE) module KDIR=$$2 KVER=$$3 && \
	vm/run --kernel $$1 --kver $$3 $(VMFLAGS) -- "$$(cat vm/guest-demo.sh)"

# The benchmarks (README): the harness (1-thread plain against the empty
# loop), then kernel against userspace, sweeps and locktorture in 2- and
# 4-vCPU guests, written to bench/results/.
bench: deps
	@$(VM_SETUP) && $(MAKE) module cli KDIR=$$2 KVER=$$3 && \
	bench/overhead --kernel $$1 --kver $$3 $(VMFLAGS) && \
	KDIR=$$2 bench/compare --kernel $$1 --kver $$3 $(VMFLAGS)

# The torture run (README "Reliability"): counterlab_stress in four boots
# (tests/stress); its last line holds the figures.
stress: deps
	@$(VM_SETUP) && $(MAKE) all kselftest-install KDIR=$$2 KVER=$$3 && \
	tests/stress --kernel $$1 --kver $$3 $(VMFLAGS)

check: deps
	@$(VM_SETUP) && $(MAKE) all kselftest-install KDIR=$$2 KVER=$$3 && \
	REQUIRED="$(REQUIRED)" tests/check --kernel $$1 --kver $$3 $(VMFLAGS)

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf $(BUILD)

.PHONY: all module cli cli-tests install uninstall ksrc lint dkms-install dkms-remove selftests kselftest-install checkpatch deps debug-kernel demo bench stress check clean
