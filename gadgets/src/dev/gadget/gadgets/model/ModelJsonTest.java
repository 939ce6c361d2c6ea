package dev.gadget.gadgets.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What crosses a socket comes back the same: descriptions, requests, and every kind of message. */
class ModelJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aDescriptionRoundTrips() throws Exception {
        GadgetDescription top = GadgetDescriptionTest.top(List.of(
                FieldSpec.of("file", FieldType.STRING, "File").shown().width(30),
                FieldSpec.of("cut", FieldType.BOOL, "Cut").onlyWith("paths"),
                FieldSpec.of("path", FieldType.STRING, "Path").onlyWith("paths").cutFlag("cut")),
                List.of(ParamSpec.bool("paths", "Paths")));

        assertEquals(top, JSON.readValue(JSON.writeValueAsString(top), GadgetDescription.class));
    }

    @Test
    void requestsRoundTripWithEveryContainerSelection() throws Exception {
        for (ContainerSelection selection : List.of(ContainerSelection.EVERYTHING, new ContainerSelection.HostOnly(),
                new ContainerSelection.Named(Set.of("web", "db")), new ContainerSelection.Ids(Set.of()),
                new ContainerSelection.Ids(Set.of("0123abcd", "feed42")))) {
            RunRequest request = new RunRequest("top", "file", Map.of("interval", "2s"), selection, 10);
            String json = JSON.writeValueAsString(request);
            assertEquals(request, JSON.readValue(json, RunRequest.class), json);
        }
    }

    @Test
    void messagesRoundTripAndRowsComeBackAsTheirFieldTypesSay() throws Exception {
        List<FieldType> types = List.of(FieldType.INT, FieldType.UINT, FieldType.STRING, FieldType.STRING_LIST,
                FieldType.BOOL, FieldType.TIMESTAMP, FieldType.ERRNO, FieldType.BYTES);
        String odd = Text.decode(new byte[] {'x', (byte) 0xff});
        List<Object> row = Arrays.asList(7L, -1L, odd, List.of("a", odd), true, 1_700_000_000_000_000_000L, -2L,
                new byte[] {1, 2});
        List<RunMessage> messages = List.of(new RunMessage.Started(List.of("pid", "comm")), new RunMessage.Event(row),
                new RunMessage.Table(List.of(row, row)), new RunMessage.Lost(RunMessage.Lost.Where.KERNEL_RING, 3, 12),
                new RunMessage.Notice(RunMessage.Notice.Level.WARNING, "no container named 'db' yet: waiting for it"),
                new RunMessage.End("loading trace_exec: EPERM — run as root"), RunMessage.End.NORMAL);
        for (RunMessage message : messages) {
            String json = JSON.writeValueAsString(message);
            RunMessage back = JSON.readValue(json, RunMessage.class);
            switch (back) {
                case RunMessage.Event event -> assertRow(types, row, event.values());
                case RunMessage.Table table -> table.rows().forEach(r -> assertRow(types, row, r));
                default -> assertEquals(message, back, json);
            }
        }
    }

    private static void assertRow(List<FieldType> types, List<Object> expected, List<Object> parsed) {
        List<Object> coerced = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            coerced.add(types.get(i).coerce(parsed.get(i)));
        }
        assertEquals(expected.subList(0, expected.size() - 1), coerced.subList(0, coerced.size() - 1));
        assertEquals(Arrays.toString((byte[]) expected.getLast()), Arrays.toString((byte[]) coerced.getLast()));
    }
}
