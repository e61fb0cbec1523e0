# staticcall-gdb.py - gdb support for programs using staticcall: the
# default text writer's parks do not stop the program.
#
#   gdb -x "$(pkg-config --variable=gdbscript staticcall)" ./program
#   (gdb) source /PREFIX/share/staticcall/staticcall-gdb.py
#
# Why: while an update writes, the pages holding its sites are not
# executable, and a thread fetching there takes a SIGSEGV that the
# runtime's handler turns into a wait until the pages are executable
# again (doc: "The nx writer").  gdb stops on every SIGSEGV by default, so
# a program with threads calling sites stops at each such park.  This
# script sets `handle SIGSEGV nostop noprint pass' and puts a catchpoint
# on SIGSEGV whose condition, $_staticcall_parked(), is true only for a
# fault that is not a park: a real fault still stops, as "Catchpoint N
# (signal SIGSEGV)".  A park is a fault whose address (the instruction
# fetched) lies in a range the runtime's nx writer made non-executable
# (staticcall_park_debug, runtime/linux/text-park.c), as the handler
# decides it; the same fault of the same thread at the same address
# once the pages are executable again is a real one (the handler runs it
# once more, then hands it on).

import struct

import gdb


def _park_info(inf):
    """(gen, [(lo, hi)...]) from the program's staticcall_park_debug, or
    None when the program has no staticcall runtime."""
    try:
        addr = int(gdb.parse_and_eval("(unsigned long) &staticcall_park_debug"))
    except gdb.error:
        return None
    psize = gdb.lookup_type("void").pointer().sizeof
    order = "<" if gdb.execute("show endian", to_string=True).find("little") >= 0 else ">"
    ptr = "Q" if psize == 8 else "I"
    raw = bytes(inf.read_memory(addr, 8 + 3 * psize))
    version, nspans, gen_p, lo_p, hi_p = struct.unpack(order + "II" + ptr * 3, raw)
    if version != 1 or nspans > 1024:
        return None
    (gen,) = struct.unpack(order + "I", bytes(inf.read_memory(gen_p, 4)))
    los = struct.unpack(order + ptr * nspans, bytes(inf.read_memory(lo_p, psize * nspans)))
    his = struct.unpack(order + ptr * nspans, bytes(inf.read_memory(hi_p, psize * nspans)))
    return gen, [(lo, hi) for lo, hi in zip(los, his) if hi]


class _Parked(gdb.Function):
    """$_staticcall_parked(): 1 when the SIGSEGV this thread stopped with
    is a park of staticcall's nx writer (pass it on: the runtime waits
    for the update), 0 when it is a real fault."""

    def __init__(self):
        super().__init__("_staticcall_parked")
        self.last = {}

    def invoke(self):
        inf = gdb.selected_inferior()
        info = _park_info(inf)
        if info is None:
            return 0
        gen, spans = info
        try:
            addr = int(gdb.parse_and_eval("(unsigned long) $_siginfo._sifields._sigfault.si_addr"))
        except gdb.error:
            addr = 0
        pc = int(gdb.parse_and_eval("(unsigned long) $pc"))

        def held(a):
            return any(lo <= a < hi for lo, hi in spans)

        # a fetch fault names the address fetched (0 under qemu-user's
        # powerpc64: the pc then); a data fault elsewhere is no park
        if not addr:
            addr = pc
        if not held(addr):
            return 0
        thread = gdb.selected_thread().ptid
        if gen & 1:
            self.last.pop(thread, None)
            return 1
        # closed since the fault: the handler runs it again, once
        if self.last.get(thread) == (addr, gen):
            del self.last[thread]
            return 0
        self.last[thread] = (addr, gen)
        return 1


_Parked()
gdb.execute("handle SIGSEGV nostop noprint pass", to_string=True)
gdb.execute("catch signal SIGSEGV", to_string=True)
gdb.execute("condition $bpnum !$_staticcall_parked()", to_string=True)
