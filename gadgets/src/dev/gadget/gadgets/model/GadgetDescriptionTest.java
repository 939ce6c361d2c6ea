package dev.gadget.gadgets.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A description that does not hold together cannot be made, and requests are checked against it. */
class GadgetDescriptionTest {
    private static final List<FieldSpec> OWN = List.of(
            FieldSpec.of("file", FieldType.STRING, "File").shown(),
            FieldSpec.of("bytes", FieldType.UINT, "Bytes").shown(),
            FieldSpec.of("cwd", FieldType.STRING, "Cwd").onlyWith("paths"));

    @Test
    void parametersGetTheirDefaultsAndFieldsFollowTheParameters() {
        GadgetDescription top = top(OWN, List.of(ParamSpec.bool("paths", "Paths")));

        ParamValues defaults = top.parseParams(Map.of());
        assertEquals(50L, defaults.number(TopParams.MAX_ROWS));
        assertEquals(List.of(new SortKey("file", true)), defaults.sortKeys(TopParams.SORT));
        assertTrue(top.fieldsFor(defaults).stream().noneMatch(f -> f.name().equals("cwd")));
        assertTrue(top.fieldsFor(top.parseParams(Map.of("paths", "true"))).stream().anyMatch(f -> f.name().equals("cwd")));
    }

    @Test
    void anUnknownParameterNamesTheOnesThereAre() {
        GadgetDescription top = top(OWN, List.of(ParamSpec.bool("paths", "Paths")));
        ParamException e = assertThrows(ParamException.class, () -> top.parseParams(Map.of("pathz", "true")));
        assertEquals("unknown parameter --pathz for top file: it takes --interval, --sort, --max-rows, --paths",
                e.getMessage());
    }

    @Test
    void descriptionsThatDoNotHoldTogetherAreRefused() {
        List<ParamSpec> paths = List.of(ParamSpec.bool("paths", "Paths"));
        assertRefused("top file: two fields are named file", () -> top(
                List.of(OWN.get(0), OWN.get(0)), paths));
        assertRefused("top file: field cwd exists only with paths, which is not a boolean parameter",
                () -> top(OWN, List.of()));
        assertRefused("top file: parameter output takes the flag output, which every gadget has",
                () -> top(OWN, List.of(ParamSpec.bool("paths", "P"), ParamSpec.bool("output", "O"))));
        assertRefused("trace x: a trace gadget's fields start with the common ones", () -> new GadgetDescription(
                "trace", "x", GadgetKind.TRACE, "X", List.of(), CommonFields.container()));
        assertRefused("top file: a top gadget has --interval (TopParams.of)", () -> new GadgetDescription("top", "file",
                GadgetKind.TOP, "Files", List.of(), withContainer(List.of(OWN.get(0)))));
        assertRefused("profile cpu: a profile gadget has the field samples of type UINT", () -> new GadgetDescription(
                "profile", "cpu", GadgetKind.PROFILE, "CPU", List.of(), withContainer(List.of(OWN.get(0)))));
        assertRefused("snapshot x: field a.b nests under a, which is a field itself", () -> new GadgetDescription(
                "snapshot", "x", GadgetKind.SNAPSHOT, "X", List.of(), withContainer(List.of(
                        FieldSpec.of("a", FieldType.STRING, "A"), FieldSpec.of("a.b", FieldType.STRING, "B")))));
        assertRefused("snapshot x: field a is marked by b, which is not a boolean field present whenever it is",
                () -> new GadgetDescription("snapshot", "x", GadgetKind.SNAPSHOT, "X", List.of(), withContainer(List.of(
                        FieldSpec.of("a", FieldType.STRING, "A").cutFlag("b"), FieldSpec.of("b", FieldType.STRING, "B")))));
    }

    private static void assertRefused(String messageStart, Runnable make) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make::run);
        assertTrue(e.getMessage().startsWith(messageStart), e.getMessage());
    }

    static GadgetDescription top(List<FieldSpec> own, List<ParamSpec> params) {
        List<FieldSpec> fields = withContainer(own);
        List<ParamSpec> all = new ArrayList<>(TopParams.of("-" + own.getFirst().name(), fields));
        all.addAll(params);
        return new GadgetDescription("top", "file", GadgetKind.TOP, "Reads and writes per file", all, fields);
    }

    private static List<FieldSpec> withContainer(List<FieldSpec> own) {
        List<FieldSpec> fields = new ArrayList<>(CommonFields.container());
        fields.addAll(own);
        return fields;
    }
}
