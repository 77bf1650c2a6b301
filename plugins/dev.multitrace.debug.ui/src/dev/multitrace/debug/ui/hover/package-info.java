/** The editor hover that shows the value of the C expression under the mouse in the selected frame. */
package dev.multitrace.debug.ui.hover;
