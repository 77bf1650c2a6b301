package dev.multitrace.rsp;

import dev.multitrace.core.Examination;
import dev.multitrace.core.GeneralRegisters;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * g, G, p, P: the registers of the thread Hg selected, in the order and sizes of
 * {@link X86_64Registers} (our target.xml). The general registers come from the service's
 * {@link GeneralRegisters}, word by word in user_regs order,
 * x87/SSE from the fxsave area, AVX and AVX-512 from the XSAVE area.
 */
final class RegisterPackets implements PacketHandler.Family {

    private final ClientState client;

    RegisterPackets(ClientState client) {
        this.client = client;
    }

    @Override
    public void register(Map<String, PacketHandler> table) {
        table.put("g", r -> {
            r.args().end();
            return readRegisters(client.generalThread());
        });
        table.put("G", r -> {
            writeRegisters(client.generalThread(), r.args().hexBytes());
            return "OK";
        });
        table.put("p", r -> {
            PacketArgs a = r.args();
            int n = a.hexInt();
            a.end();
            return readRegister(client.generalThread(), n);
        });
        table.put("P", r -> {
            PacketArgs a = r.args();
            int n = a.hexInt();
            byte[] value = a.expect('=').hexBytes();
            writeRegister(client.generalThread(), n, value);
            return "OK";
        });
    }

    private static X86_64Registers.Reg register(int n) {
        if (n < 0 || n >= X86_64Registers.ALL.size()) {
            throw RspError.MALFORMED.error("no register " + n);
        }
        return X86_64Registers.ALL.get(n);
    }

    private static String readRegisters(StubThread th) {
        Examination ex = th.examine();
        long[] words = ex.registers().values();
        byte[] fx = ex.fpRegisters();
        byte[] xs = X86_64Registers.HAS_AVX ? ex.xstate() : null;
        StringBuilder s = new StringBuilder();
        for (X86_64Registers.Reg reg : X86_64Registers.ALL) {
            s.append(X86_64Registers.encode(reg, words, fx, xs));
        }
        return s.toString();
    }

    private static String readRegister(StubThread th, int n) {
        X86_64Registers.Reg reg = register(n);
        Examination ex = th.examine();
        byte[] fx = reg.source() == X86_64Registers.Source.FXSAVE || reg.source() == X86_64Registers.Source.FTAG
                ? ex.fpRegisters() : null;
        byte[] xs = reg.source() == X86_64Registers.Source.XSTATE ? ex.xstate() : null;
        return X86_64Registers.encode(reg, ex.registers().values(), fx, xs);
    }

    private static void writeRegister(StubThread th, int n, byte[] value) {
        X86_64Registers.Reg reg = register(n);
        if (value.length != reg.size()) {
            throw RspError.MALFORMED.error(reg.name() + " takes " + reg.size() + " bytes, not " + value.length);
        }
        Examination ex = th.examine();
        if (reg.source() == X86_64Registers.Source.XSTATE) {
            byte[] xs = ex.xstate();
            X86_64Registers.decodeIntoXState(reg, value, 0, xs);
            ex.setXState(xs);
            return;
        }
        if (reg.source() != X86_64Registers.Source.GENERAL) {
            byte[] fx = ex.fpRegisters();
            X86_64Registers.decodeInto(reg, value, 0, fx);
            ex.setFpRegisters(fx);
            return;
        }
        GeneralRegisters regs = ex.registers();
        long[] words = regs.values();
        words[reg.index()] = Hex.fromLittleEndian(value, 0, reg.size());
        ex.setRegisters(regs.withValues(words));
    }

    /**
     * 'G': every register in 'g' order; the general ones and the fxsave area are written only if
     * changed, and XSAVE-area registers only those gdb changed: writing one back marks its
     * component in use, which must not happen to a component the thread never touched.
     */
    private static void writeRegisters(StubThread th, byte[] all) {
        Examination ex = th.examine();
        GeneralRegisters regs = ex.registers();
        long[] words = regs.values();
        long[] before = words.clone();
        byte[] fx = ex.fpRegisters();
        byte[] fxBefore = fx.clone();
        byte[] xs = X86_64Registers.HAS_AVX ? ex.xstate() : null;
        List<int[]> xsChanged = new ArrayList<>(); // {register number, offset in the packet}
        int off = 0;
        int n = 0;
        for (X86_64Registers.Reg reg : X86_64Registers.ALL) {
            if (off + reg.size() > all.length) {
                break;
            }
            switch (reg.source()) {
                case GENERAL -> words[reg.index()] = Hex.fromLittleEndian(all, off, reg.size());
                case XSTATE -> {
                    String now = X86_64Registers.encode(reg, null, null, xs);
                    if (!now.equals(Hex.encode(Arrays.copyOfRange(all, off, off + reg.size())))) {
                        xsChanged.add(new int[] {n, off});
                    }
                }
                default -> X86_64Registers.decodeInto(reg, all, off, fx);
            }
            off += reg.size();
            n++;
        }
        if (!Arrays.equals(before, words)) {
            ex.setRegisters(regs.withValues(words));
        }
        if (!Arrays.equals(fxBefore, fx)) {
            ex.setFpRegisters(fx);
        }
        if (!xsChanged.isEmpty()) {
            // Read again: the XSAVE area's legacy region and FP/SSE bits are the fxsave state just
            // written, which the area read before would undo.
            byte[] now = ex.xstate();
            for (int[] changed : xsChanged) {
                X86_64Registers.decodeIntoXState(X86_64Registers.ALL.get(changed[0]), all, changed[1], now);
            }
            ex.setXState(now);
        }
    }
}
