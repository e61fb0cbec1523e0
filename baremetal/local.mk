# baremetal/local.mk - tiny qemu-system kernels that link the freestanding
# core (libstaticcall-core.a, the library `make install` installs) and
# nothing else: x86-64 (qemu-system-x86_64 -kernel, Multiboot) and arm64
# (qemu-system-aarch64 -M virt).  See doc/baremetal.md.
#
#   make baremetal         builds baremetal/kernel-$(ARCH).elf (also part
#                          of `make check`, whose staticcall.baremetal
#                          tests boot it)
#   make baremetal-run     boots it under qemu (baremetal/run.sh)
#
# BM_RETARGETS (make BM_RETARGETS=N) is how many times CPU 0 retargets
# while CPU 1 runs the sites; 4000 takes a few seconds under TCG.
BM_RETARGETS = 4000
BM_CFLAGS = -O2 -ffreestanding -fno-builtin -fno-stack-protector -fno-pie \
	-fno-asynchronous-unwind-tables -DBM_RETARGETS=$(BM_RETARGETS) \
	-fplugin=$(abs_top_builddir)/plugin/staticcall.so \
	-I$(top_srcdir)/include $(WARN_CFLAGS)
BM_LDFLAGS = -nostdlib -static -no-pie -Wl,--build-id=none \
	-Wl,-z,max-page-size=4096
bm_common = %reldir%/kernel.c %reldir%/platform.c %reldir%/kernel.h

if ARCH_X86_64
BM_CPU = x86_64
# no SSE in the kernel's own code; the core's SSE is enabled at boot
BM_CPU_CFLAGS = -mno-red-zone -mgeneral-regs-only
endif
if ARCH_AARCH64
BM_CPU = aarch64
# the C before the MMU is on runs on Device memory: no unaligned access;
# inline atomics (libgcc's outline ones need getauxval)
BM_CPU_CFLAGS = -mgeneral-regs-only -mstrict-align -mno-outline-atomics
endif

EXTRA_DIST += $(bm_common) %reldir%/run.sh \
	%reldir%/x86_64/boot.S %reldir%/x86_64/platform.c %reldir%/x86_64/kernel.ld \
	%reldir%/aarch64/boot.S %reldir%/aarch64/platform.c %reldir%/aarch64/kernel.ld

if !ARCH_POWERPC64
bm_kernel = %reldir%/kernel-$(BM_CPU).elf
bm_sources = $(bm_common) %reldir%/$(BM_CPU)/boot.S \
	%reldir%/$(BM_CPU)/platform.c
check_DATA += $(bm_kernel)
CLEANFILES += $(bm_kernel)

$(bm_kernel): $(addprefix $(srcdir)/,$(bm_sources) %reldir%/$(BM_CPU)/kernel.ld) \
		$(top_srcdir)/include/staticcall.h \
		$(top_srcdir)/include/staticcall/abi.h \
		$(top_srcdir)/include/staticcall/platform.h \
		plugin/staticcall.so libstaticcall-core.a
	@$(MKDIR_P) %reldir%
	$(AM_V_CCLD)$(CC) $(BM_CFLAGS) $(BM_CPU_CFLAGS) $(BM_LDFLAGS) \
		-Wl,-T,$(srcdir)/%reldir%/$(BM_CPU)/kernel.ld -o $@ \
		$(addprefix $(srcdir)/,$(filter %.c %.S,$(bm_sources))) \
		libstaticcall-core.a -lgcc

baremetal: $(bm_kernel)
baremetal-run: $(bm_kernel)
	$(SHELL) $(srcdir)/%reldir%/run.sh $(BM_CPU) $(bm_kernel)
else
baremetal baremetal-run:
	@echo "baremetal: no kernel for $(ARCH) (x86_64 and aarch64 only)"
endif
.PHONY: baremetal baremetal-run
