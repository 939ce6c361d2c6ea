package dev.gadget.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gadget.gadgets.model.Text;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShellQuoteTest {

    @Test
    void plainWordsStayBare() {
        assertEquals("/bin/ls -l --color=auto /tmp", ShellQuote.join(List.of("/bin/ls", "-l", "--color=auto", "/tmp")));
    }

    @Test
    void spacesEmptyArgumentsAndShellCharactersAreQuoted() {
        assertEquals("echo 'two words' '' '*.c' 'a|b'", ShellQuote.join(List.of("echo", "two words", "", "*.c", "a|b")));
    }

    @Test
    void singleQuotesSurviveQuoting() {
        assertEquals("echo 'it'\\''s'", ShellQuote.join(List.of("echo", "it's")));
    }

    @Test
    void controlCharactersKeepTheLineOnOneLine() {
        assertEquals("printf $'a\\nb\\tc\\x01' $'it\\'s\\n'", ShellQuote.join(List.of("printf", "a\nb\tc\u0001", "it's\n")));
    }

    @Test
    void unicodeIsShownAsIs() {
        assertEquals("echo ünïcödé 日本", ShellQuote.join(List.of("echo", "ünïcödé", "日本")));
    }

    @Test
    void bytesThatAreNotUtf8AreEscapedSoBashGivesThemBack() {
        assertEquals("printf $'\\xff\\xfe'", ShellQuote.join(List.of("printf",
                Text.decode(new byte[] {(byte) 0xff, (byte) 0xfe}))));
    }

    @Test
    void noArgumentsMakeAnEmptyLine() {
        assertEquals("", ShellQuote.join(List.of()));
    }
}
