#!/usr/bin/env bash
# Smoke test of the runnable IDE: proves that `./multitrace ide` really starts the workbench.
#   releng/ide-smoke.sh [REPOSITORY_ROOT]        (needs $DISPLAY, xdotool, ImageMagick's import)
# 1. starts `./multitrace ide` with a fresh workspace and a fresh copy of the product's configuration
#    (the product directory stays clean) under releng/dev.multitrace.product/target/ide-smoke/;
# 2. waits (deadline $IDE_SMOKE_TIMEOUT s, default 120) for a visible top-level workbench window;
# 3. checks that every dev.multitrace bundle of the product (and the Error Log view's, and CDT's editor, managed
#    build and DSF-GDB UI) is RESOLVED/STARTING/ACTIVE and no bundle at all is left INSTALLED (unresolved) in the running
#    framework: the product has no OSGi console, so a tiny probe bundle, compiled here and added to the
#    copied configuration only, writes the state of every bundle to a file once a second;
# 4. checks that the workspace's .metadata/.log and the console output (-consoleLog) do not mention
#    dev.multitrace;
# 5. saves a screenshot of the screen to releng/dev.multitrace.product/target/screenshots/ide.png;
# 6. File > Exit with debug sessions live and after a fault (issue 15): the probe launches a small
#    two-thread C program three times through the launch manager (Debug mode: one stopped at main
#    with the syscall tracer attached, one with the GDB stub holding it, one running), the third is
#    killed from outside (kill -9) and must be reaped by the IDE; then File > Exit through the
#    menu (xdotool keys, as a user) must close the workbench within $IDE_EXIT_TIMEOUT s (default 30),
#    measured and printed, and leave none of the programs behind;
# 7. on a failure or a hang kills the IDE (SIGKILL, its whole process group). Exit 0 on success; on
#    failure prints the IDE's console output, the .log and the bundle states, and exits non-zero.
set -euo pipefail

root=$(cd "${1:-$(dirname "$0")/..}" && pwd)
module="$root/releng/dev.multitrace.product"
product="$module/target/products/dev.multitrace.ide/linux/gtk/x86_64"
work="$module/target/ide-smoke"
shots="$module/target/screenshots"
timeout=${IDE_SMOKE_TIMEOUT:-120}
exit_timeout=${IDE_EXIT_TIMEOUT:-30}
# Title of the workbench window: "<workspace dir name> - Eclipse Platform" (the product is org.eclipse.platform.ide).
title_re=${IDE_SMOKE_TITLE:-' - Eclipse Platform'}

say() { echo "ide-smoke: $*" >&2; }
[ -n "${DISPLAY:-}" ] || { say "DISPLAY is not set (run under xvfb-run)"; exit 2; }
for tool in xdotool import; do
  command -v "$tool" >/dev/null || { say "needs $tool (apt-get install xdotool imagemagick)"; exit 2; }
done

if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/javac" ]; then
  for j in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/java-21-openjdk-amd64; do
    if [ -x "$j/bin/javac" ]; then export JAVA_HOME=$j; break; fi
  done
fi

# ./multitrace ide builds the product first if it is missing; in the Maven build it already exists.
if ! ls "$product"/plugins/org.eclipse.equinox.launcher_*.jar >/dev/null 2>&1; then
  say "product missing; ./multitrace ide will build it first"
fi

rm -rf "$work"
mkdir -p "$work/probe/src" "$work/probe/classes/META-INF" "$shots"
ws="$work/workspace"
states="$work/bundle-states.txt"
console="$work/console.txt"
rm -f "$shots/ide.png" "$shots/ide-failed.png"

start=$(date +%s)
pid=""
cleanup() {
  if [ -n "$pid" ]; then
    kill -KILL -- "-$pid" 2>/dev/null || true   # the IDE's process group (setsid below)
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=""
  fi
}
trap cleanup EXIT
fail() {
  say "FAILED: $*"
  echo "----- IDE console output ($console) -----" >&2; cat "$console" >&2 2>/dev/null || true
  echo "----- $ws/.metadata/.log -----" >&2; cat "$ws/.metadata/.log" >&2 2>/dev/null || echo "(no .log)" >&2
  echo "----- bundle states -----" >&2; cat "$states" >&2 2>/dev/null || echo "(none written)" >&2
  echo "----- visible windows -----" >&2
  for w in $(xdotool search --onlyvisible --name '.' 2>/dev/null); do xdotool getwindowname "$w" >&2 2>/dev/null || true; done
  [ -n "$pid" ] && import -window root "$shots/ide-failed.png" 2>/dev/null && say "screen at failure: $shots/ide-failed.png"
  exit 1
}

# Fresh configuration: a copy of the product's, plus the probe bundle.
launcher_check() { ls "$product"/plugins/org.eclipse.osgi_*.jar >/dev/null 2>&1; }
if ! launcher_check; then
  # let ./multitrace build the product (it does so when the build output is missing)
  (cd "$root" && ./multitrace build)
fi
osgi_jar=$(ls "$product"/plugins/org.eclipse.osgi_*.jar | head -n 1)
probe_cp=$osgi_jar
for b in org.eclipse.debug.core org.eclipse.core.runtime org.eclipse.equinox.common org.eclipse.core.resources org.eclipse.core.jobs; do
  probe_cp="$probe_cp:$(ls "$product"/plugins/${b}_*.jar | head -n 1)"
done
cat > "$work/probe/src/Probe.java" <<'EOF'
package dev.multitrace.smokeprobe;

import java.nio.file.*;
import java.util.*;
import org.eclipse.debug.core.*;
import org.osgi.framework.*;

/** Writes "symbolic-name STATE" of every bundle to the file named by the framework property
 *  multitrace.smoke.states, once a second. Only the smoke test's copied configuration installs it. */
public class Probe implements BundleActivator {
    private volatile boolean running = true;

    public void start(BundleContext ctx) {
        Path out = Paths.get(ctx.getProperty("multitrace.smoke.states"));
        Thread t = new Thread(() -> {
            while (running) {
                try {
                    StringBuilder sb = new StringBuilder();
                    for (Bundle b : ctx.getBundles())
                        sb.append(b.getSymbolicName()).append(' ').append(name(b.getState())).append('\n');
                    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
                    Files.writeString(tmp, sb);
                    Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    Thread.sleep(1000);
                } catch (Exception e) {
                    return;
                }
            }
        }, "multitrace-smoke-probe");
        t.setDaemon(true);
        t.start();
        Path request = Paths.get(ctx.getProperty("multitrace.smoke.launch"));
        Path launched = Paths.get(ctx.getProperty("multitrace.smoke.launched"));
        Thread l = new Thread(() -> launchOnRequest(request, launched), "multitrace-smoke-launcher");
        l.setDaemon(true);
        l.start();
    }

    /**
     * Once the file {@code request} appears: one line "NAME PROGRAM STOPMODE TRACER GDBPORT" per
     * launch (Debug mode, a "Multitrace Application" configuration, through the launch manager as
     * Debug As does); writes "NAME PID" (or "NAME ERROR message") to {@code launched} for each.
     */
    private void launchOnRequest(Path request, Path launched) {
        try {
            while (running && !Files.exists(request)) {
                Thread.sleep(200);
            }
            StringBuilder out = new StringBuilder();
            for (String line : Files.readAllLines(request)) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 5) {
                    continue;
                }
                try {
                    ILaunchManager m = DebugPlugin.getDefault().getLaunchManager();
                    ILaunchConfigurationWorkingCopy wc = m.getLaunchConfigurationType("dev.multitrace.debug.core.launchType")
                            .newInstance(null, "smoke-" + f[0]);
                    wc.setAttribute("dev.multitrace.debug.core.program", f[1]);
                    wc.setAttribute("dev.multitrace.debug.core.stopMode", f[2]);
                    wc.setAttribute("dev.multitrace.debug.core.syscallTracer", Boolean.parseBoolean(f[3]));
                    wc.setAttribute("dev.multitrace.debug.core.gdbStubPort", Integer.parseInt(f[4]));
                    ILaunch launch = wc.launch(ILaunchManager.DEBUG_MODE, null);
                    if (!"none".equals(f[2]) && launch.getDebugTarget() != null) {
                        // Stopped at main: wait for the suspend, so that the IDE has it before the script goes on.
                        long until = System.currentTimeMillis() + 10000;
                        while (!launch.getDebugTarget().isSuspended() && System.currentTimeMillis() < until) {
                            Thread.sleep(50);
                        }
                    }
                    String name = launch.getDebugTarget() == null ? "" : launch.getDebugTarget().getName();
                    int at = name.indexOf("(pid ");
                    out.append(f[0]).append(' ').append(at < 0 ? "ERROR no pid in '" + name + "'"
                            : name.substring(at + 5, name.indexOf(')', at))).append('\n');
                } catch (Exception e) {
                    out.append(f[0]).append(" ERROR ").append(e).append('\n');
                }
            }
            Path tmp = launched.resolveSibling(launched.getFileName() + ".tmp");
            Files.writeString(tmp, out);
            Files.move(tmp, launched, StandardCopyOption.ATOMIC_MOVE);
        } catch (Exception e) {
            // the script reports that nothing was launched
        }
    }

    public void stop(BundleContext ctx) { running = false; }

    private static String name(int s) {
        switch (s) {
            case Bundle.UNINSTALLED: return "UNINSTALLED";
            case Bundle.INSTALLED: return "INSTALLED";
            case Bundle.RESOLVED: return "RESOLVED";
            case Bundle.STARTING: return "STARTING";
            case Bundle.STOPPING: return "STOPPING";
            case Bundle.ACTIVE: return "ACTIVE";
            default: return "UNKNOWN(" + s + ")";
        }
    }
}
EOF
cat > "$work/probe/classes/META-INF/MANIFEST.MF" <<'EOF'
Manifest-Version: 1.0
Bundle-ManifestVersion: 2
Bundle-SymbolicName: dev.multitrace.smokeprobe
Bundle-Version: 1.0.0
Bundle-Activator: dev.multitrace.smokeprobe.Probe
Import-Package: org.osgi.framework
Require-Bundle: org.eclipse.core.runtime, org.eclipse.debug.core
Bundle-RequiredExecutionEnvironment: JavaSE-21
EOF
"$JAVA_HOME/bin/javac" -nowarn --release 21 -cp "$probe_cp" -d "$work/probe/classes" "$work/probe/src/Probe.java"
"$JAVA_HOME/bin/jar" --create --file "$work/probe/probe.jar" --manifest "$work/probe/classes/META-INF/MANIFEST.MF" \
  -C "$work/probe/classes" dev

cp -r "$product/configuration" "$work/configuration"
echo "dev.multitrace.smokeprobe,1.0.0,file:$work/probe/probe.jar,4,true" \
  >> "$work/configuration/org.eclipse.equinox.simpleconfigurator/bundles.info"
echo "multitrace.smoke.states=$states" >> "$work/configuration/config.ini"
echo "multitrace.smoke.launch=$work/launch-request.txt" >> "$work/configuration/config.ini"
echo "multitrace.smoke.launched=$work/launched.txt" >> "$work/configuration/config.ini"

expected=$(cd "$product/plugins" && ls dev.multitrace.*.jar | sed 's/_.*//' | sort -u)
[ -n "$expected" ] || fail "no dev.multitrace bundles in $product/plugins"
# Platform bundles the product adds on purpose: the Error Log view.
expected="$expected
org.eclipse.ui.views.log"

# The workspace's one setting: a launch that suspends switches to the Debug perspective without the
# modal "Switch to this perspective?" prompt (the user's "Remember my decision"), which would
# otherwise swallow the keys of File > Exit below.
mkdir -p "$ws/.metadata/.plugins/org.eclipse.core.runtime/.settings"
cat > "$ws/.metadata/.plugins/org.eclipse.core.runtime/.settings/org.eclipse.debug.ui.prefs" <<'EOF2'
eclipse.preferences.version=1
org.eclipse.debug.ui.switch_perspective_on_suspend=always
EOF2
say "starting ./multitrace ide (workspace $ws)"
export MULTITRACE_WORKSPACE="$ws" MULTITRACE_CONFIGURATION="$work/configuration"
# Own session and process group, so that everything it starts is killed with it.
(cd "$root" && exec setsid ./multitrace ide -consoleLog -nosplash) >"$console" 2>&1 </dev/null &
pid=$!

# 1. a visible top-level workbench window
win=""
while [ -z "$win" ]; do
  kill -0 "$pid" 2>/dev/null || { wait "$pid" && rc=0 || rc=$?; pid=""; fail "the IDE exited (status $rc) before a workbench window appeared"; }
  [ $(( $(date +%s) - start )) -lt "$timeout" ] || fail "no workbench window (title matching '$title_re') within ${timeout}s"
  win=$(xdotool search --onlyvisible --name "$title_re" 2>/dev/null | head -n 1 || true)
  [ -n "$win" ] || sleep 1
done
name=$(xdotool getwindowname "$win")
say "workbench window after $(( $(date +%s) - start ))s: \"$name\" (id $win)"

# 2. the bundle states as the running framework sees them (the probe rewrites the file every second)
sleep 3
[ -s "$states" ] || fail "the probe bundle wrote no bundle states"
bad=""
for b in $expected; do
  st=$(awk -v b="$b" '$1 == b { print $2 }' "$states")
  case "$st" in
    ACTIVE|RESOLVED|STARTING) say "  $b $st" ;;
    *) bad="$bad $b(${st:-absent})" ;;
  esac
done
[ -z "$bad" ] || fail "bundles not resolved in the running workbench:$bad"
# The C IDE: CDT's editor, managed build and DSF-GDB, and no bundle of the product left unresolved.
for b in org.eclipse.cdt.ui org.eclipse.cdt.managedbuilder.gnu.ui org.eclipse.cdt.dsf.gdb.ui; do
  grep -qE "^$b (ACTIVE|RESOLVED|STARTING)\$" "$states" || fail "CDT's $b is not resolved in the running workbench"
done
unresolved=$(awk '$2 == "INSTALLED" { print $1 }' "$states" | tr '\n' ' ')
[ -z "$unresolved" ] || fail "bundles installed but not resolved: $unresolved"
say "  $(wc -l < "$states") bundles in the workbench, none unresolved"

# 3. no errors about Multitrace in the workspace log or on the console
if grep -n 'dev\.multitrace' "$ws/.metadata/.log" 2>/dev/null | grep -v smokeprobe >&2; then
  fail "$ws/.metadata/.log mentions dev.multitrace"
fi
if grep -n 'dev\.multitrace' "$console" | grep -v smokeprobe >&2; then
  fail "the IDE's console output mentions dev.multitrace"
fi
kill -0 "$pid" 2>/dev/null || { pid=""; fail "the IDE exited"; }

# 4. screenshot
import -window root "$shots/ide.png" || fail "screenshot failed"
say "screenshot: $shots/ide.png"

# 5. File > Exit with live debug sessions, after a fault
cat > "$work/twothreads.c" <<'EOF2'
#include <pthread.h>
#include <time.h>
#include <unistd.h>
static volatile unsigned long calls;
__attribute__((noinline)) static void work(int n) { calls += n; }
static void *worker(void *arg) { (void) arg; for (;;) { work(1); usleep(1000); } return NULL; }
int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    time_t end = time(NULL) + 120;
    while (time(NULL) < end) { work(2); usleep(1000); }
    return 0;
}
EOF2
gcc -g -O0 -pthread -o "$work/twothreads" "$work/twothreads.c" || fail "cannot compile the smoke test's program"
stub_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 23456)
cat > "$work/launch-request.txt.tmp" <<EOF2
live $work/twothreads main true 0
stub $work/twothreads none false $stub_port
victim $work/twothreads none false 0
EOF2
mv "$work/launch-request.txt.tmp" "$work/launch-request.txt"
t=0
while [ ! -s "$work/launched.txt" ]; do
  [ $t -lt 600 ] || fail "the probe launched nothing within 60 s"
  sleep 0.1; t=$((t + 1))
done
cat "$work/launched.txt" >&2
grep -q ERROR "$work/launched.txt" && fail "a launch failed: $(cat "$work/launched.txt")"
# alive PID: exists and is not a zombie (kill -0 succeeds on zombies)
alive() { [ -e "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }
pids=""
while read -r name p; do
  # TracerPid names the tracer thread: one of the IDE's ($pid is the IDE's java, exec'd by ./multitrace).
  tracer=$(awk '/^TracerPid:/ { print $2 }' "/proc/$p/status" 2>/dev/null || echo gone)
  [ -n "$tracer" ] && [ "$tracer" != 0 ] && [ -e "/proc/$pid/task/$tracer" ] \
    || fail "$name (pid $p) is not traced by the IDE (TracerPid $tracer, IDE $pid)"
  say "  session $name: pid $p traced by the IDE's thread $tracer"
  pids="$pids $p"
done < "$work/launched.txt"
victim=$(awk '$1 == "victim" { print $2 }' "$work/launched.txt")
kill -KILL "$victim"
t=0
while [ -e "/proc/$victim" ]; do
  [ $t -lt 200 ] || fail "the IDE did not reap process $victim, killed from outside, within 2 s"
  sleep 0.01; t=$((t + 1))
done
say "  victim $victim killed from outside (kill -9): reaped by the IDE after ~$((t * 10)) ms"
sleep 2 # the IDE shows the session stopped at main (the Debug perspective opens)
import -window root "$shots/ide-sessions.png" 2>/dev/null || true

# File > Exit through the menu, as a user does: Alt+F opens File, X is Exit's mnemonic. A "Confirm
# Exit" prompt (the IDE asks before closing its last window) is answered with its default button.
# Should the keys be lost (a perspective switch that takes the focus while the menu opens), the
# user tries again: Escape, then Alt+F, X once more, every 5 s while the window is still shown.
exit_keys() {
  xdotool windowfocus --sync "$win" 2>/dev/null || xdotool windowfocus "$win" 2>/dev/null || true
  xdotool key --clearmodifiers alt+f
  sleep 0.7
  xdotool key x
}
exit_start=$(date +%s%N)
exit_keys
attempts=1
last_try=$exit_start
confirmed=""
exited=""
while :; do
  if ! alive "$pid"; then
    wait "$pid" && rc=0 || rc=$?
    exited=$(date +%s%N); pid=""; break
  fi
  elapsed=$(( ($(date +%s%N) - exit_start) / 1000000 ))
  [ "$elapsed" -lt $((exit_timeout * 1000)) ] || { import -window root "$shots/ide-exit-hang.png" 2>/dev/null || true; fail "File > Exit did not close the workbench within ${exit_timeout}s (screen: $shots/ide-exit-hang.png)"; }
  if [ -z "$confirmed" ] && [ $(( ($(date +%s%N) - last_try) / 1000000 )) -ge 5000 ] && \
     xdotool search --onlyvisible --name "$title_re" >/dev/null 2>&1; then
    say "  the workbench is still shown ${elapsed} ms after File > Exit: Escape, and File > Exit again"
    xdotool key Escape; sleep 0.3
    exit_keys
    attempts=$((attempts + 1)); last_try=$(date +%s%N)
  fi
  if [ -z "$confirmed" ]; then
    cw=$(xdotool search --onlyvisible --name '^Confirm Exit$' 2>/dev/null | head -n 1 || true)
    if [ -n "$cw" ]; then
      confirmed=yes
      say "  'Confirm Exit' asked after ${elapsed} ms: Return"
      xdotool windowfocus "$cw" 2>/dev/null || true
      xdotool key --window "$cw" Return || xdotool key Return
    fi
  fi
  sleep 0.05
done
exit_ms=$(( (exited - exit_start) / 1000000 ))
[ "$rc" = 0 ] || fail "the IDE exited with status $rc after File > Exit"
for p in $pids; do
  t=0
  while alive "$p"; do
    [ $t -lt 200 ] || fail "process $p outlived the IDE by 2 s"
    sleep 0.01; t=$((t + 1))
  done
done
say "File > Exit ($attempts time(s)) closed the workbench in ${exit_ms} ms (2 live debug sessions: syscall tracer, GDB stub on :$stub_port; a third killed from outside), exit status 0, no program left"
echo "file-exit-ms $exit_ms" > "$work/exit-time.txt"

cleanup
say "OK: workbench up, $(echo "$expected" | wc -l) Multitrace and Error Log bundles resolved, File > Exit in ${exit_ms} ms, $(( $(date +%s) - start ))s in all"
