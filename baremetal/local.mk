# baremetal/local.mk - tiny qemu-system kernels that link the freestanding
# core (libstaticcall-core.a, the library `make install` installs) and
# nothing else: x86-64 (qemu-system-x86_64 -kernel, Multiboot), arm64
# (qemu-system-aarch64 -M virt) and powerpc64le (qemu-system-ppc64 -M
# pseries -bios).  See doc/baremetal.md.
#
#   make baremetal         builds baremetal/kernel-$(ARCH).elf (.bin too on
#                          powerpc64; also part
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
	-I$(top_srcdir)/include $(WARN_CFLAGS) $(SC_PROTECT_CFLAGS)
BM_LINKFLAGS = -nostdlib -static -no-pie -Wl,--build-id=none \
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
if ARCH_POWERPC64
BM_CPU = powerpc64
BM_CPU_CFLAGS =
endif

EXTRA_DIST += $(bm_common) %reldir%/asm.h %reldir%/run.sh \
	%reldir%/x86_64/boot.S %reldir%/x86_64/platform.c %reldir%/x86_64/kernel.ld \
	%reldir%/aarch64/boot.S %reldir%/aarch64/platform.c %reldir%/aarch64/kernel.ld \
	%reldir%/powerpc64/boot.S %reldir%/powerpc64/platform.c \
	%reldir%/powerpc64/kernel.ld

bm_kernel = %reldir%/kernel-$(BM_CPU).elf
bm_sources = $(bm_common) %reldir%/$(BM_CPU)/boot.S \
	%reldir%/$(BM_CPU)/platform.c
bm_link = $(CC) $(BM_CFLAGS) $(BM_CPU_CFLAGS) $(BM_LINKFLAGS) \
	-Wl,-T,$(srcdir)/%reldir%/$(BM_CPU)/kernel.ld \
	$(addprefix $(srcdir)/,$(filter %.c %.S,$(bm_sources))) \
	libstaticcall-core.a -lgcc
check_DATA += $(bm_kernel)
CLEANFILES += $(bm_kernel)

$(bm_kernel): $(addprefix $(srcdir)/,$(bm_sources) %reldir%/$(BM_CPU)/kernel.ld \
		%reldir%/asm.h) \
		$(top_srcdir)/include/staticcall.h \
		$(top_srcdir)/include/staticcall/abi.h \
		$(top_srcdir)/include/staticcall/platform.h \
		plugin/staticcall.so libstaticcall-core.a
	@$(MKDIR_P) %reldir%
	$(AM_V_CCLD)$(bm_link) -o $@

# qemu's pseries machine takes the kernel as its firmware: a flat image
# at 0 (the target compiler names its binutils' objcopy)
if ARCH_POWERPC64
bm_image = %reldir%/kernel-$(BM_CPU).bin
check_DATA += $(bm_image)
CLEANFILES += $(bm_image)
$(bm_image): $(bm_kernel)
	$(AM_V_GEN)`$(CC) -print-prog-name=objcopy` -O binary $(bm_kernel) $@
else
bm_image = $(bm_kernel)
endif

baremetal: $(bm_image)
baremetal-run: $(bm_image)
	$(SHELL) $(srcdir)/%reldir%/run.sh $(BM_CPU) $(bm_image)
.PHONY: baremetal baremetal-run
