package dev.gadget.gadgets.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Selections by container id, as the kubectl plugin sends them: the kubelet's form or bare, or none yet. */
class ContainerSelectionTest {

    @Test
    void idsAreKeptBareWhetherTheyComeAsTheKubeletReportsThemOrNot() {
        String id = "4f".repeat(32);
        assertEquals(Set.of(id, "abc"), new ContainerSelection.Ids(Set.of("containerd://" + id, "abc")).containerIds());
        assertEquals(new ContainerSelection.Ids(Set.of(id)), new ContainerSelection.Ids(Set.of("cri-o://" + id)));
    }

    @Test
    void noIdsSelectNothingYet() {
        assertEquals(Set.of(), new ContainerSelection.Ids(Set.of()).containerIds());
    }

    @Test
    void whatIsNotAnIdIsRefusedNamingTheField() {
        assertEquals("containerIds: 'a b' is not a container id such as containerd://<64 hex digits> or the digits alone",
                assertThrows(IllegalArgumentException.class, () -> new ContainerSelection.Ids(Set.of("a b"))).getMessage());
        assertEquals("containerIds: a container id is empty",
                assertThrows(IllegalArgumentException.class, () -> new ContainerSelection.Ids(Set.of(" "))).getMessage());
        assertEquals("containerIds: 'containerd://' is not a container id such as containerd://<64 hex digits> or the"
                + " digits alone", assertThrows(IllegalArgumentException.class,
                        () -> new ContainerSelection.Ids(Set.of("containerd://"))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ContainerSelection.Ids(new HashSet<>(Arrays.asList("a", null))));
        assertThrows(IllegalArgumentException.class, () -> new ContainerSelection.Ids(null));
    }

    @Test
    void namedAndIdsListTheirContainersTheOthersDoNot() {
        assertTrue(new ContainerSelection.Ids(Set.of()).listsContainers());
        assertTrue(new ContainerSelection.Named(Set.of("web")).listsContainers());
        assertFalse(ContainerSelection.EVERYTHING.listsContainers());
        assertFalse(new ContainerSelection.HostOnly().listsContainers());
    }
}
