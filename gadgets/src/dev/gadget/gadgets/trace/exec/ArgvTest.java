package dev.gadget.gadgets.trace.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArgvTest {

    @Test
    void plainWordsStayBare() {
        assertEquals("/bin/ls -l --color=auto /tmp", Argv.join(List.of("/bin/ls", "-l", "--color=auto", "/tmp"), false));
    }

    @Test
    void spacesEmptyArgumentsAndShellCharactersAreQuoted() {
        assertEquals("echo 'two words' '' '*.c' 'a|b'", Argv.join(List.of("echo", "two words", "", "*.c", "a|b"), false));
    }

    @Test
    void singleQuotesSurviveQuoting() {
        assertEquals("echo 'it'\\''s'", Argv.join(List.of("echo", "it's"), false));
    }

    @Test
    void controlCharactersKeepTheLineOnOneLine() {
        assertEquals("printf $'a\\nb\\tc\\x01' $'it\\'s\\n'", Argv.join(List.of("printf", "a\nb\tc\u0001", "it's\n"), false));
    }

    @Test
    void unicodeIsShownAsIs() {
        assertEquals("echo ünïcödé 日本", Argv.join(List.of("echo", "ünïcödé", "日本"), false));
    }

    @Test
    void truncationIsMarked() {
        assertEquals("cat part …[truncated]", Argv.join(List.of("cat", "part"), true));
    }

    @Test
    void noArgumentsMakeAnEmptyLine() {
        assertEquals("", Argv.join(List.of(), false));
    }
}
