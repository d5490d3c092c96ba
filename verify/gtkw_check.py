#!/usr/bin/env python3
"""verify/gtkw_check.py DUMP SAVEFILE: checks a GTKWave save file against a wave dump, so the save file that
`sparsegen rtl` writes (tb/sparsegen.gtkw) cannot rot: every signal it names must exist in the dump, its groups
must be balanced, and the dump must hold value changes. DUMP is a VCD or an FST file (the FST header and
hierarchy blocks are read here: gzip or LZ4 compressed hierarchy). Signal names are compared as GTKWave 3.3 forms
them (checked with GTKWave 3.3.118 on Icarus and Verilator FST dumps): "scope.sub.name" for a scalar and for an
integer (whose range GTKWave drops), "scope.sub.name[hi:lo]" for a vector. Prints one line; exit status 0 if all is
well, 1 otherwise, 2 on usage errors."""
import struct
import sys
import zlib


def vcd_names(path):
    names, scope, changes = set(), [], False
    with open(path, "r", errors="replace") as f:
        toks = []
        for line in f:
            if line.startswith("$enddefinitions"):
                # any timestamp or value after the header counts as a change
                for rest in f:
                    if rest.strip():
                        changes = True
                        break
                break
            toks += line.split()
            while toks and "$end" in toks:
                i = toks.index("$end")
                cmd, toks = toks[:i], toks[i + 1:]
                if not cmd:
                    continue
                if cmd[0] == "$scope":
                    scope.append(cmd[2])
                elif cmd[0] == "$upscope":
                    scope.pop()
                elif cmd[0] == "$var":
                    ref = cmd[4] + ("".join(cmd[5:]) if len(cmd) > 5 and cmd[1] != "integer" else "")
                    names.add(".".join(scope + [ref]))
    return names, changes


def lz4_block(src, size):
    """Decompresses one raw LZ4 block (as FST's LZ4 hierarchy blocks hold)."""
    out, i = bytearray(), 0
    while i < len(src):
        tok = src[i]
        i += 1
        lit = tok >> 4
        if lit == 15:
            while True:
                b = src[i]
                i += 1
                lit += b
                if b != 255:
                    break
        out += src[i:i + lit]
        i += lit
        if i >= len(src):
            break
        off = src[i] | src[i + 1] << 8
        i += 2
        ml = tok & 15
        if ml == 15:
            while True:
                b = src[i]
                i += 1
                ml += b
                if b != 255:
                    break
        ml += 4
        for _ in range(ml):
            out.append(out[-off])
    if len(out) != size:
        raise ValueError("LZ4 hierarchy block has the wrong size")
    return bytes(out)


def varint(b, i):
    v, sh = 0, 0
    while True:
        c = b[i]
        i += 1
        v |= (c & 0x7F) << sh
        sh += 7
        if not c & 0x80:
            return v, i


def cstr(b, i):
    j = b.index(0, i)
    return b[i:j].decode("utf-8", "replace"), j + 1


def fst_names(path):
    data = open(path, "rb").read()
    hier, changes, i = None, False, 0
    while i + 9 <= len(data):
        typ = data[i]
        (blen,) = struct.unpack(">Q", data[i + 1:i + 9])
        body = data[i + 9:i + 1 + blen]
        if typ in (1, 5, 8) and blen > 8:  # value-change blocks
            changes = True
        if typ == 4:  # FST_BL_HIER: uncompressed length, then gzip
            (ulen,) = struct.unpack(">Q", body[:8])
            hier = zlib.decompress(body[8:], 47)
        elif typ == 6:  # FST_BL_HIER_LZ4
            (ulen,) = struct.unpack(">Q", body[:8])
            hier = lz4_block(body[8:], ulen)
        elif typ == 7:  # FST_BL_HIER_LZ4DUO: LZ4 of LZ4
            (ulen,) = struct.unpack(">Q", body[:8])
            l1, j = varint(body, 8)
            hier = lz4_block(lz4_block(body[j:], l1), ulen)
        if blen == 0:
            break
        i += 1 + blen
    if hier is None:
        raise ValueError("no hierarchy block in the FST file")
    names, scope, k = set(), [], 0
    while k < len(hier):
        t = hier[k]
        k += 1
        if t == 254:  # scope: type, name, component
            k += 1
            name, k = cstr(hier, k)
            _, k = cstr(hier, k)
            scope.append(name)
        elif t == 255:
            scope.pop()
        elif t == 252:  # attribute begin: type, subtype, name, argument
            k += 2
            _, k = cstr(hier, k)
            _, k = varint(hier, k)
        elif t == 253:
            pass
        elif t <= 29:  # variable: type, direction, name, length, alias
            k += 1
            name, k = cstr(hier, k)
            _, k = varint(hier, k)
            _, k = varint(hier, k)
            if t == 1:  # FST_VT_VCD_INTEGER: GTKWave names it without its range
                name = name.split(" ", 1)[0]
            names.add(".".join(scope + [name.replace(" ", "")]))
        else:
            raise ValueError("unknown FST hierarchy entry %d" % t)
    return names, changes


def main():
    if len(sys.argv) != 3:
        print("usage: gtkw_check.py DUMP SAVEFILE", file=sys.stderr)
        return 2
    dump, save = sys.argv[1:]
    try:
        with open(dump, "rb") as f:
            magic = f.read(1)
        if not magic:
            print("%s: FAIL: the dump is empty" % dump)
            return 1
        names, changes = fst_names(dump) if magic == b"\x00" else vcd_names(dump)
        lines = open(save).read().splitlines()
    except (OSError, ValueError, IndexError, zlib.error) as e:
        print("FAIL: %s" % e)
        return 1
    if not names or not changes:
        print("%s: FAIL: the dump has %d signals and %s value changes" % (dump, len(names), "some" if changes else "no"))
        return 1
    missing, traces, depth, groups = [], 0, 0, 0
    flags = 0
    for ln in lines:
        if not ln or ln[0] in "[*#^":
            continue
        if ln[0] == "@":
            flags = int(ln[1:], 16)
            continue
        if ln[0] == "-":
            if flags & 0x800000:
                depth += 1
                groups += 1
            elif flags & 0x1000000:
                depth -= 1
                if depth < 0:
                    break
            continue
        name = ln.split("} ", 1)[1] if ln.startswith("+{") else ln
        traces += 1
        if name not in names:
            missing.append(name)
    if depth != 0:
        print("%s: FAIL: unbalanced groups" % save)
        return 1
    if missing or traces == 0:
        print("%s: FAIL: %d of %d signals not in %s: %s" % (save, len(missing), traces, dump, " ".join(missing[:8])))
        return 1
    print("%s: all %d signals (%d groups) found among the %d in %s" % (save, traces, groups, len(names), dump))
    return 0


if __name__ == "__main__":
    sys.exit(main())
