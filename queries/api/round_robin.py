"""New connections dealt to ``pmkg serve``'s workers in turn, not by the kernel's hash of each connection.

Linux spreads the connections of ``SO_REUSEPORT`` listeners by a hash of their addresses and ports: one
client's 32 keep-alive connections landed 14/18, 13/19 and 10/22 on two workers (measured), and the worker
holding 22 answers each of its requests ~40 % later than an even share would (the p99 of issue 11's
throughput target).  A tiny eBPF program attached to the listeners' ``SO_REUSEPORT`` group counts connections
in a one-entry array map and hands each to listener ``count % workers``: 16/16.

:func:`deal_connections_in_turn` attaches it to a listening socket (the group's program is replaced by each
worker's identical one: the last attached serves).  Where it cannot (not Linux x86-64/arm64, no permission for
``bpf()``, an older kernel) it returns the reason and the kernel's hash keeps spreading connections: nothing
else changes.  While a worker restarts the group has fewer listeners than ``workers``; an index past the last
falls back to the hash, so no connection is refused.

This module only loads and attaches that program; it never reads or alters a connection.
"""

from __future__ import annotations

import ctypes
import os
import platform
import socket
import struct

SO_ATTACH_REUSEPORT_EBPF = 52  # <asm-generic/socket.h>
_BPF_SYSCALL = {"x86_64": 321, "aarch64": 280}
_BPF_MAP_CREATE, _BPF_PROG_LOAD = 0, 5
_BPF_MAP_TYPE_ARRAY, _BPF_PROG_TYPE_SOCKET_FILTER = 2, 1
_BPF_PSEUDO_MAP_FD = 1


def deal_connections_in_turn(listener: socket.socket, workers: int) -> str | None:
    """Attach the round-robin program to ``listener`` (which must already listen); None, or why not."""
    number = _BPF_SYSCALL.get(platform.machine())
    if number is None or not hasattr(socket, "SO_REUSEPORT"):
        return f"no eBPF round robin on {platform.system()} {platform.machine()}"
    try:
        program = _load_program(number, workers)
    except (OSError, AttributeError) as exc:  # AttributeError: a libc without syscall()
        return f"the kernel refused the eBPF round robin ({getattr(exc, 'strerror', None) or exc})"
    try:
        listener.setsockopt(socket.SOL_SOCKET, SO_ATTACH_REUSEPORT_EBPF, program)
    except OSError as exc:
        return f"the kernel refused the eBPF round robin ({exc.strerror or exc})"
    finally:
        os.close(program)  # the socket group holds the program now
    return None


def _insn(code: int, dst: int = 0, src: int = 0, off: int = 0, imm: int = 0) -> bytes:
    return struct.pack("<BBhi", code, (src << 4) | dst, off, imm)


def _program(map_fd: int, workers: int) -> bytes:
    """``key = 0; n = map[key]; n += 1 (atomic); return n % workers`` (0 if the map has no entry)."""
    return b"".join(
        (
            _insn(0x62, dst=10, off=-4, imm=0),  # *(u32 *)(r10 - 4) = 0: the key, on the stack
            _insn(0xBF, dst=2, src=10),  # r2 = r10
            _insn(0x07, dst=2, imm=-4),  # r2 += -4: a pointer to the key
            _insn(0x18, dst=1, src=_BPF_PSEUDO_MAP_FD, imm=map_fd),  # r1 = the map (a 16-byte load)
            _insn(0x00),
            _insn(0x85, imm=1),  # r0 = bpf_map_lookup_elem(r1, r2)
            _insn(0x15, dst=0, off=5, imm=0),  # if r0 == 0 goto the last two
            _insn(0xB7, dst=1, imm=1),  # r1 = 1
            _insn(0xDB, dst=0, src=1),  # lock *(u64 *)(r0 + 0) += r1
            _insn(0x79, dst=0, src=0),  # r0 = *(u64 *)(r0 + 0)
            _insn(0x97, dst=0, imm=workers),  # r0 %= workers
            _insn(0x95),  # return r0: the listener's index in the group
            _insn(0xB7, dst=0, imm=0),  # r0 = 0
            _insn(0x95),  # return r0
        )
    )


def _bpf(number: int, command: int, attr: bytes) -> int:
    libc = ctypes.CDLL(None, use_errno=True)
    buffer = ctypes.create_string_buffer(attr, len(attr))
    fd = int(libc.syscall(number, command, buffer, len(attr)))
    if fd < 0:
        errno = ctypes.get_errno()
        raise OSError(errno, os.strerror(errno))
    return fd


def _load_program(number: int, workers: int) -> int:
    """A file descriptor of the loaded program (its one-entry counter map is held by the program)."""
    map_fd = _bpf(number, _BPF_MAP_CREATE, struct.pack("<IIII", _BPF_MAP_TYPE_ARRAY, 4, 8, 1) + bytes(64))
    try:
        code = _program(map_fd, workers)
        instructions = ctypes.create_string_buffer(code, len(code))
        licence = ctypes.create_string_buffer(b"Dual MIT/GPL")
        attr = struct.pack(
            "<IIQQIIQ",
            _BPF_PROG_TYPE_SOCKET_FILTER,
            len(code) // 8,
            ctypes.addressof(instructions),
            ctypes.addressof(licence),
            0,  # no verifier log
            0,
            0,
        )
        return _bpf(number, _BPF_PROG_LOAD, attr + bytes(64))
    finally:
        os.close(map_fd)
