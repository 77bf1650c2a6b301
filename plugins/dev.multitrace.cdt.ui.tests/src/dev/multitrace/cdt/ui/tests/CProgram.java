package dev.multitrace.cdt.ui.tests;

import java.util.List;

/** The C program the tests write into the project made by the wizard, and its lines by their markers. */
final class CProgram {

    static final int ITERATIONS = 5;

    static final String SOURCE = """
            #include <stdio.h>

            static int square(int n)
            {
                int result = n * n;
                return result;
            }

            int main(void)
            {
                int total = 0;
                for (int i = 0; i < %d; i++) {
                    int sq = square(i); /* loop-call */
                    total += sq; /* loop-sum */
                }
                printf("total %%d\\n", total);
                return 0;
            }
            """.formatted(ITERATIONS);

    private CProgram() {
    }

    /** The 1-based line holding {@code marker}'s comment. */
    static int line(String marker) {
        List<String> lines = SOURCE.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("/* " + marker + " */")) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException(marker);
    }
}
