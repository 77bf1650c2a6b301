package dev.multitrace.debug.ui.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.debug.ui.EnginesView;

import java.util.Arrays;
import java.util.List;

import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/** Runs in the real workbench (Tycho UI harness, under Xvfb). */
public class EnginesViewTest {

    @Test
    void enginesViewOpensEmptyWithoutASession() throws Exception {
        EnginesView view = Workbench.showView(EnginesView.ID);
        Table table = view.viewer().getTable();
        String[] titles = Arrays.stream(table.getColumns()).map(TableColumn::getText).toArray(String[]::new);
        assertArrayEquals(new String[] {"Thread", "Engine", "Holds stop", "Last action", "Callbacks", "Events"}, titles);
        Workbench.spin();
        assertEquals(0, table.getItemCount(), "no session selected: no rows");
    }

    @Test
    void multitraceBundlesAreActiveInTheWorkbench() {
        Bundle ui = FrameworkUtil.getBundle(EnginesView.class);
        assertEquals(Bundle.ACTIVE, ui.getState(), "dev.multitrace.debug.ui is active");
        for (String name : List.of("dev.multitrace.linux", "dev.multitrace.core", "dev.multitrace.debug.core")) {
            Bundle b = Arrays.stream(ui.getBundleContext().getBundles())
                    .filter(x -> x.getSymbolicName().equals(name)).findFirst().orElseThrow(() -> new AssertionError(name + " installed"));
            assertTrue((b.getState() & (Bundle.RESOLVED | Bundle.ACTIVE | Bundle.STARTING)) != 0, name + " resolved");
        }
    }
}
