/** Source lookup of Multitrace launches: the line table's path as a workspace file or a local file. */
package dev.multitrace.debug.core.sourcelookup;
