package dev.gadget.gadgets.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gadget.gadgets.model.GadgetDescription;
import dev.gadget.gadgets.model.GadgetKind;
import dev.gadget.gadgets.model.ParamSpec;
import dev.gadget.gadgets.model.ParamType;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every gadget of the catalog is described as data that holds together and crosses a socket unchanged. */
class CatalogTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyDescriptionIsValidRoundTripsAndItsDefaultsPass() throws Exception {
        Set<String> ids = new HashSet<>();
        for (GadgetDescription gadget : Catalog.descriptions()) {
            assertTrue(ids.add(gadget.id()), "two gadgets are " + gadget.id());
            assertEquals(gadget, JSON.readValue(JSON.writeValueAsString(gadget), GadgetDescription.class), gadget.id());
            var defaults = gadget.parseParams(Map.of());
            assertTrue(gadget.fieldsFor(defaults).stream().anyMatch(f -> f.visible()), gadget.id() + " shows something");
            Map<String, String> everyFlagOn = gadget.params().stream().filter(p -> p.type() == ParamType.BOOL)
                    .collect(Collectors.toMap(ParamSpec::name, p -> "true"));
            assertEquals(gadget.fields().size(), gadget.fieldsFor(gadget.parseParams(everyFlagOn)).size(),
                    gadget.id() + ": with every flag on, every field is there");
        }
    }

    @Test
    void everyKindHasAGadget() {
        Set<GadgetKind> kinds = Catalog.descriptions().stream().map(GadgetDescription::kind).collect(Collectors.toSet());
        assertEquals(Set.of(GadgetKind.values()), kinds);
    }
}
