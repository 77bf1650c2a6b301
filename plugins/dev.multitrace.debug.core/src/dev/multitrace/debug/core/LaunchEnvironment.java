package dev.multitrace.debug.core;

import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunchConfiguration;

/** The environment a launch configuration gives its program, for both of Multitrace's launch delegates. */
public final class LaunchEnvironment {

    private LaunchEnvironment() {
    }

    /**
     * The configuration's Environment tab merged with the IDE's own environment (append) or alone (replace), as the
     * platform merges them; null when the configuration sets none (the program inherits the IDE's).
     */
    public static Map<String, String> of(ILaunchConfiguration config) throws CoreException {
        String[] env = DebugPlugin.getDefault().getLaunchManager().getEnvironment(config);
        if (env == null) {
            return null;
        }
        Map<String, String> environment = new LinkedHashMap<>();
        for (String kv : env) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                environment.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return environment;
    }
}
