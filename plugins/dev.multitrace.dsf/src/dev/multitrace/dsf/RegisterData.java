package dev.multitrace.dsf;

import org.eclipse.cdt.dsf.debug.service.IRegisters.IRegisterDMData;

/**
 * What the Registers view knows of a register besides its value: always readable, an integer (never shown as
 * a float), read without side effects.
 *
 * @param writeable whether the view may edit it (a live thread's innermost general registers)
 * @param isVolatile whether its value can change between reads (a live thread's, not a core's)
 */
record RegisterData(String name, boolean writeable, boolean isVolatile) implements IRegisterDMData {
    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getDescription() {
        return "";
    }

    @Override
    public boolean isReadable() {
        return true;
    }

    @Override
    public boolean isReadOnce() {
        return false;
    }

    @Override
    public boolean isWriteable() {
        return writeable;
    }

    @Override
    public boolean isWriteOnce() {
        return false;
    }

    @Override
    public boolean hasSideEffects() {
        return false;
    }

    @Override
    public boolean isFloat() {
        return false;
    }
}
