package dev.gadget.gadgets.runner;

import dev.gadget.gadgets.containers.Container;
import dev.gadget.gadgets.model.CommonFields;
import java.util.Optional;

/** Puts a container into the first fields of a row, as {@link CommonFields} declares them; "" for a host process. */
public final class ContainerColumns {
    private ContainerColumns() {
    }

    public static void fill(Object[] row, Optional<Container> container) {
        if (container.isEmpty()) {
            for (int i = CommonFields.RUNTIME_NAME; i <= CommonFields.POD_CONTAINER_NAME; i++) {
                row[i] = "";
            }
            return;
        }
        Container c = container.get();
        row[CommonFields.RUNTIME_NAME] = c.runtime().runtimeName();
        row[CommonFields.CONTAINER_ID] = c.id();
        row[CommonFields.CONTAINER_NAME] = c.name();
        row[CommonFields.IMAGE_NAME] = c.image();
        row[CommonFields.POD_NAMESPACE] = c.podNamespace();
        row[CommonFields.POD_NAME] = c.podName();
        row[CommonFields.POD_CONTAINER_NAME] = c.podName().isEmpty() ? "" : c.name();
    }
}
