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
# make litmus-model   herd7 and the kernel's memory model against every
#               litmus test's stated verdict and the module's table (TAP)
# make dkms-install, make dkms-remove    the module under DKMS (root)
# make debug-kernel [KSRC=6.1|7.3] [FLAVOR=kcsan|kasan]   build the debug
#               test kernel; then make check KERNEL=debug [KSRC=...]
#               [FLAVOR=...] runs the suite on it
# make kernels  fetch every kernel of kernels/matrix (make deps calls it)
# make matrix   every kernel of kernels/matrix: build, boot, suite; one table
# make asm      every kind's hot loop and every litmus test's threads, as
#               the compiler emitted them: x86-64, arm64 LSE, arm64 LL/SC
#
# ARCH=arm64 (make, make check): the module cross built (CROSS_COMPILE,
# default aarch64-linux-gnu-) for Debian's arm64 kernel of the same row
# (kernels/matrix, column arm64: 6.1 by default, KVER=7.3.4+deb13-arm64),
# the CLI and the selftests static for aarch64 under build/arm64/; make
# check ARCH=arm64 boots it under qemu-system-aarch64 -M virt (TCG) with
# CPU=max (LSE atomics, the default) or an ARMv8.0 core without them
# (CPU=cortex-a57: LL/SC), and checks which form the kernel took.
#
# KVER selects the kernel to build against: for make, the running kernel
# when its headers are installed; for demo, bench and check, the test kernel
# the VM boots (Debian's linux-image-amd64). Any release of kernels/matrix
# works (make kernels fetched it): kernels/kernel builds where that kernel
# builds, on the host or in a root of its suite. KDIR=TREE builds against
# that tree on the host instead. VMFLAGS go to vm/run.

ARCH ?=
BUILD := $(CURDIR)/build
ifeq ($(filter-out x86 x86_64,$(ARCH)),)
override ARCH :=
# An ARCH=x86_64 in the environment must not reach kbuild empty.
unexport ARCH
KVER ?= $(shell kernels/kver)
# The VM's kernel: KVER when given, else linux-image-amd64's release.
VM_KVER = $(if $(filter command line environment,$(origin KVER)),$(KVER),$(shell kernels/kver --vm))
# Where what is built for ARCH goes: the host's in build/.
ABUILD := $(BUILD)
XBUILD :=
XCC :=
VMARCH :=
else ifeq ($(ARCH),arm64)
CROSS_COMPILE ?= aarch64-linux-gnu-
KVER ?= $(shell kernels/kver --vm arm64)
VM_KVER = $(KVER)
ABUILD := $(BUILD)/arm64
XBUILD := ARCH=arm64 CROSS_COMPILE=$(CROSS_COMPILE)
XCC := CC=$(CROSS_COMPILE)gcc
# The arm64 CPU model (QEMU's -cpu) and the atomics the kernel should find
# on it: max has LSE (ARMv8.1), the ARMv8.0 cores only LL/SC.
CPU ?= max
ATOMICS = $(if $(filter cortex-a35 cortex-a53 cortex-a57 cortex-a72,$(CPU)),llsc,lse)
VMARCH := --arch arm64 --cpu-model $(CPU)
else
$(error ARCH is empty or x86_64 (the host's) or arm64, not '$(ARCH)')
endif
KDIR ?= /lib/modules/$(KVER)/build
# The first line of a target that runs only on the host's architecture.
X86_ONLY = @[ -z "$(ARCH)" ] || { echo "make $@ is x86-64 only (ARCH=$(ARCH): make, check, demo, bench-litmus and asm take it)" >&2; exit 2; }
# kbuild for KVER: kernels/kernel finds its headers (KDIR, when given on
# the command line or in the environment, is exported and wins).
KBUILD = kernels/kernel make $(KVER) $(XBUILD)
KSFT_TAR ?= /usr/src/linux-source-6.1.tar.xz
KSFT_SRC := $(BUILD)/ksrc
KSFT := $(KSFT_SRC)/tools/testing/selftests
KSFT_INSTALL := $(ABUILD)/kselftest
USERSPACE := $(ABUILD)/userspace
PREFIX ?= /usr/local
DESTDIR ?=
VMFLAGS ?=

# What is taken from the kernel source: the kselftest framework and
# checkpatch.pl. Extracted, never committed.
KSFT_FILES := \
	'linux-source-6.1/tools/testing/selftests/kselftest*' \
	linux-source-6.1/tools/testing/selftests/lib.mk \
	linux-source-6.1/tools/testing/selftests/run_kselftest.sh \
	linux-source-6.1/scripts/checkpatch.pl \
	linux-source-6.1/scripts/spelling.txt \
	linux-source-6.1/scripts/const_structs.checkpatch

# The selftests need the kselftest framework from linux-source-6.1: without
# it (a test machine with only headers), make builds the module alone.
all: module cli
	@if [ -r $(KSFT_TAR) ] || [ -e $(KSFT_SRC)/.stamp ]; then \
		$(MAKE) --no-print-directory selftests cli-tests; \
	else \
		echo "note: selftests not built: no $(KSFT_TAR) (make deps)"; \
	fi

# The command-line tool (userspace/), static: it also runs in the VM.
cli:
	$(MAKE) -C userspace OUTPUT=$(USERSPACE) $(XCC)

cli-tests: $(KSFT_SRC)/.stamp
	$(MAKE) -C userspace OUTPUT=$(USERSPACE) KSFT_DIR=$(KSFT) $(XCC) tests

install: module cli
	@[ -z "$(ARCH)" ] || { echo "make install is for the host's own kernel: ARCH=$(ARCH) installs nothing here" >&2; exit 2; }
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
	@test -n "$(KVER)" || { echo "no kernel headers: run make deps" >&2; exit 1; }
	+$(KBUILD) M=$(CURDIR) modules

# Extracted again when this Makefile (KSFT_FILES) changes.
$(KSFT_SRC)/.stamp: $(KSFT_TAR) Makefile
	rm -rf $(KSFT_SRC) && mkdir -p $(KSFT_SRC)
	tar -xf $< -C $(KSFT_SRC) --strip-components=1 --wildcards $(KSFT_FILES)
	touch $@

$(KSFT_TAR):
	@echo "no $@: run make deps" >&2; exit 1

ksrc: $(KSFT_SRC)/.stamp

selftests: $(KSFT_SRC)/.stamp
	$(MAKE) -C selftests KSFT_DIR=$(KSFT) OUTPUT=$(ABUILD)/selftests $(XBUILD)

# The upstream layout (selftests/Makefile), which make check boots.
kselftest-install: selftests
	rm -rf $(KSFT_INSTALL)
	$(MAKE) -C selftests KSFT_DIR=$(KSFT) OUTPUT=$(ABUILD)/selftests \
		INSTALL_PATH=$(KSFT_INSTALL) $(XBUILD) install

# module/compat.h holds the version guards an out-of-tree module needs.
CHECKPATCH = $(KSFT_SRC)/scripts/checkpatch.pl --strict --no-tree --terse \
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG
checkpatch: $(KSFT_SRC)/.stamp
	$(CHECKPATCH) -f $(filter-out %.mod.c,$(wildcard module/*.c)) \
		$(filter-out module/compat.h,$(wildcard module/*.h))
	$(CHECKPATCH),LINUX_VERSION_CODE -f module/compat.h

# Static checks (TAP): checkpatch --strict on module and selftests, sparse
# (C=2, with W=1), shellcheck on every shell script.
lint: $(KSFT_SRC)/.stamp
	$(X86_ONLY)
	KVER=$(KVER) tests/lint

# DKMS (root): add, build and install for KVER; remove from every kernel.
dkms-install:
	$(X86_ONLY)
	pkg/dkms install $(KVER)

dkms-remove:
	pkg/dkms remove

# The kernel sources kernels/matrix names (6.1, 7.3): their kselftest
# framework and kunit.py are what make check tests the collection with.
TREE_SRCS = $(shell kernels/kernel rows 2>/dev/null | awk '$$5 != "-" { print $$5 }')

deps:
	pkg/deps
	kernels/kernel fetch
	for v in $(TREE_SRCS); do kernels/kernel source $$v > /dev/null || exit; done
	kernels/kernel root sid herdtools7 > /dev/null

# The litmus tests' verdicts (litmus/model): herd7 (sid's herdtools7, in a
# minimal sid root) with the memory model of each tree of make trees, and
# the module's table, must agree with every litmus/*.litmus file's Result:
# line; the userspace tests' with C11's model (litmus/c11/). TAP.
litmus-model: deps trees
	$(X86_ONLY)
	litmus/model --herd "kernels/kernel in sid herd7" \
		$(foreach v,$(TREE_SRCS),build/trees/linux-source-$(v)/tools/memory-model)

# build/trees/linux-source-X.Y: the top Makefile, scripts/ and tools/ of each.
trees:
	for v in $(TREE_SRCS); do kernels/kernel tree $$v > /dev/null || exit; done

kernels:
	kernels/kernel fetch

# The instructions of every kind's loop and litmus test's threads, from
# the objects asm/build makes under build/asm/ (6.1, x86-64 and arm64;
# the same whatever ARCH says):
# the listings, then the README's table (tests/host/test-asm checks it).
asm: deps
	env -u ARCH -u CROSS_COMPILE asm/build
	asm/listing

# Every row of kernels/matrix (tests/matrix): one table, then the summed
# "N passed, M failed" line.
matrix: deps
	$(X86_ONLY)
	tests/matrix

# Which kernel demo, bench and check boot: Debian's (default) or KVER's
# (kernels/matrix), or with KERNEL=debug the debug kernel of FLAVOR (kcsan
# or kasan) from linux-source-KSRC, built once by kernels/debug-kernel.
# VM_SETUP sets $1 image, $2 KDIR, $3 release, and $kargs: what the module
# build needs to find that kernel.
KERNEL ?=
FLAVOR ?= kcsan
KSRC ?= 6.1
REQUIRED := counterlab_test counterlab_lifecycle counterlab_stress \
	counterlab_abort counterlab_measure counterlab_litmus counterlab_dmesg.sh
ifeq ($(KERNEL)$(ARCH),debugarm64)
$(error KERNEL=debug is an x86-64 kernel: not with ARCH=arm64)
else ifeq ($(KERNEL),debug)
VM_SETUP = export KSRC=$(KSRC) DEBUG_FLAVOR=$(FLAVOR) && \
	kernels/debug-kernel $(FLAVOR) && \
	set -- $$(kernels/debug-kernel $(FLAVOR) --print) && kargs="KDIR=$$2 KVER=$$3"
REQUIRED += counterlab_kmemleak.sh $(if $(filter kcsan,$(FLAVOR)),counterlab_kcsan)
else ifeq ($(KERNEL),)
VM_SETUP = env=$$(kernels/kernel env $(VM_KVER)) && set -- $$env && \
	set -- "$$1" "$$2" $(VM_KVER) && kargs="KVER=$$3"
else
$(error KERNEL is empty (Debian's kernel) or debug, not '$(KERNEL)')
endif

debug-kernel: deps
	$(X86_ONLY)
	KSRC=$(KSRC) kernels/debug-kernel $(FLAVOR)

demo: deps
	@$(VM_SETUP) && $(MAKE) module $$kargs && \
	vm/run --kernel $$1 --kver $$3 $(VMARCH) $(VMFLAGS) -- "$$(cat vm/guest-demo.sh)"

# The benchmarks (README): the harness (1-thread plain against the empty
# loop), the measurement's stability (iterations against duration mode,
# 7 trials, two boots), the litmus tests, then kernel against userspace, sweeps and
# locktorture in 2- and 4-vCPU guests, written to bench/results/.
bench: deps
	$(X86_ONLY)
	@$(VM_SETUP) && $(MAKE) module cli $$kargs && \
	bench/overhead --kernel $$1 --kver $$3 $(VMFLAGS) && \
	bench/stability --kernel $$1 --kver $$3 $(VMFLAGS) && \
	bench/litmus --kernel $$1 --kver $$3 $(VMFLAGS) && \
	KDIR=$$2 bench/compare --kernel $$1 --kver $$3 $(VMFLAGS)

# The measurement's stability alone (bench/stability).
bench-stability: deps
	$(X86_ONLY)
	@$(VM_SETUP) && $(MAKE) module $$kargs && \
	bench/stability --kernel $$1 --kver $$3 $(VMFLAGS)

# Every litmus test, 10^6 trials, kernel and userspace in one boot, and
# userspace on this host (bench/litmus, README "Ordering"); ARCH=arm64
# [CPU=...]: in the arm64 guest.
bench-litmus: deps
	@$(VM_SETUP) && $(MAKE) module cli $$kargs && $(MAKE) cli ARCH= && \
	bench/litmus --kernel $$1 --kver $$3 $(VMARCH) $(VMFLAGS)

# The locks on 6.12 and on 6.12-rt, side by side (bench/rt-locks).
bench-rt: deps
	$(X86_ONLY)
	bench/rt-locks

# How fast a signal or the freezer stops a 1024-thread run, on 6.1 and
# 6.1-rt (bench/abort).
bench-abort: deps
	$(X86_ONLY)
	bench/abort

# The torture run (README "Reliability"): counterlab_stress in four boots
# (tests/stress); its last line holds the figures.
stress: deps
	$(X86_ONLY)
	@$(VM_SETUP) && $(MAKE) all kselftest-install $$kargs && \
	tests/stress --kernel $$1 --kver $$3 $(VMFLAGS)

# RUNNER=vng: the suite boots under virtme-ng (vm/vng, pkg/vng), not vm/run.
RUNNER ?= vm
check: deps
	@$(VM_SETUP) && $(MAKE) all kselftest-install $$kargs && \
	REQUIRED="$(REQUIRED)" RUNNER=$(RUNNER) $(if $(ARCH),CROSS_COMPILE=$(CROSS_COMPILE) \
		USERSPACE=$(USERSPACE) ATOMICS=$(ATOMICS)) tests/check --kernel $$1 --kver $$3 \
		$(VMARCH) $(if $(ARCH),--selftests $(KSFT_INSTALL)) $(VMFLAGS)

clean-module:
	-+$(KBUILD) M=$(CURDIR) clean

clean: clean-module
	rm -rf $(BUILD)

.PHONY: asm trees kernels matrix litmus-model bench-litmus bench-rt bench-abort bench-stability clean-module all module cli cli-tests install uninstall ksrc lint dkms-install dkms-remove selftests kselftest-install checkpatch deps debug-kernel demo bench stress check clean
