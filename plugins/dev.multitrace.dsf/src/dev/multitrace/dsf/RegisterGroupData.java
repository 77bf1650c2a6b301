package dev.multitrace.dsf;

import org.eclipse.cdt.dsf.debug.service.IRegisters.IRegisterGroupDMData;

/** A register group as the Registers view shows it: its name, and where its registers come from. */
record RegisterGroupData(String name, String description) implements IRegisterGroupDMData {
    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getDescription() {
        return description;
    }
}
