/** Line, function and address breakpoints on persistent markers, with conditions, hit counts and thread filters. */
package dev.multitrace.debug.core.breakpoints;
