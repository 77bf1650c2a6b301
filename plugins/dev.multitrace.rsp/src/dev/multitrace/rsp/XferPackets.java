package dev.multitrace.rsp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * qXfer:OBJECT:read:ANNEX:OFFSET,LENGTH: the documents gdb reads in pieces (the register
 * description, the thread list, auxv, the executable's name, the siginfo of the stop, the
 * dynamic linker's library list). Only reads; an unknown object is unsupported.
 */
final class XferPackets implements PacketHandler.Family {

    private final ClientState client;
    private final PacketWriter out;

    XferPackets(ClientState client, PacketWriter out) {
        this.client = client;
        this.out = out;
    }

    @Override
    public void register(Map<String, PacketHandler> table) {
        table.put("qXfer", this::xfer);
    }

    private String xfer(Request r) throws IOException {
        PacketArgs a = r.args().expect(':');
        String object = a.field(":");
        a.expect(':');
        if (!a.field(":").equals("read")) {
            return "";
        }
        a.expect(':');
        String annex = a.field(":");
        a.expect(':');
        long[] ol = a.addressLength();
        a.end();
        byte[] data = document(object, annex);
        if (data == null) {
            return "";
        }
        int off = (int) Math.min(ol[0], data.length);
        int len = (int) Math.min(ol[1], Math.min(data.length - off, RemoteSession.PACKET_SIZE - 16));
        byte[] reply = new byte[len + 1];
        reply[0] = (byte) (off + len < data.length ? 'm' : 'l');
        System.arraycopy(data, off, reply, 1, len);
        out.send(reply);
        return null;
    }

    /** The whole document; null for an object we do not serve. */
    private byte[] document(String object, String annex) throws IOException {
        switch (object) {
            case "features" -> {
                if (!annex.equals("target.xml")) {
                    throw RspError.NO_SUCH_ANNEX.error("no feature document " + annex);
                }
                return X86_64Registers.targetXml().getBytes(StandardCharsets.UTF_8);
            }
            case "threads" -> {
                return threadsXml().getBytes(StandardCharsets.UTF_8);
            }
            case "auxv" -> {
                StubProcess proc = client.existingCurrentProcess();
                return Files.readAllBytes(Path.of("/proc/" + proc.pid + "/auxv"));
            }
            case "exec-file" -> {
                StubProcess proc = annex.isEmpty() ? client.existingCurrentProcess()
                        : client.existingProcess(new PacketArgs(annex, 0).hexInt());
                return Files.readSymbolicLink(Path.of("/proc/" + proc.pid + "/exe")).toString().getBytes(StandardCharsets.UTF_8);
            }
            case "siginfo" -> {
                // The siginfo of the stop the thread is at (the signal gdb was told about).
                return client.generalThread().examine().sigInfoBytes();
            }
            case "libraries-svr4" -> {
                StubThread th = client.generalThread();
                return LibraryList.read(th.examine(), th.process.pid).getBytes(StandardCharsets.UTF_8);
            }
            default -> {
                return null;
            }
        }
    }

    private String threadsXml() {
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\"?>\n<threads>\n");
        for (StubThread th : client.target.threads()) {
            String name = "";
            try {
                name = Files.readString(Path.of("/proc/" + th.process.pid + "/task/" + th.tid + "/comm")).strip();
            } catch (IOException gone) {
                // The thread exited meanwhile: listed without a name.
            }
            x.append("<thread id=\"").append(client.id(th)).append("\" name=\"").append(xmlEscape(name)).append("\"/>\n");
        }
        return x.append("</threads>\n").toString();
    }

    static String xmlEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
