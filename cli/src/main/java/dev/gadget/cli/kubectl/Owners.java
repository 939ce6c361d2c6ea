package dev.gadget.cli.kubectl;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The controller a user thinks of as a pod's owner: the Deployment behind its ReplicaSet, the CronJob
 * behind its Job; otherwise the pod's own controller (StatefulSet, DaemonSet, ...). Asked of the API
 * server once per ReplicaSet or Job, with the user's credentials; if that is not allowed, the direct
 * controller is named.
 */
final class Owners {
    /** A pod's owner; kind and name are "" for a pod no controller owns. */
    record Owner(String kind, String name) {
        static final Owner NONE = new Owner("", "");
    }

    private final KubernetesClient client;
    private final Map<String, Owner> behind = new ConcurrentHashMap<>();

    Owners(KubernetesClient client) {
        this.client = client;
    }

    Owner of(HasMetadata pod) {
        OwnerReference controller = controller(pod);
        if (controller == null) {
            return Owner.NONE;
        }
        String namespace = pod.getMetadata().getNamespace();
        Owner direct = new Owner(controller.getKind(), controller.getName());
        return switch (controller.getKind()) {
            case "ReplicaSet" -> behind.computeIfAbsent(namespace + "/ReplicaSet/" + controller.getName(),
                    key -> above(client.apps().replicaSets().inNamespace(namespace).withName(controller.getName()), direct));
            case "Job" -> behind.computeIfAbsent(namespace + "/Job/" + controller.getName(),
                    key -> above(client.batch().v1().jobs().inNamespace(namespace).withName(controller.getName()), direct));
            default -> direct;
        };
    }

    private static Owner above(io.fabric8.kubernetes.client.dsl.Resource<? extends HasMetadata> resource, Owner direct) {
        try {
            HasMetadata owned = resource.get();
            OwnerReference controller = owned == null ? null : controller(owned);
            return controller == null ? direct : new Owner(controller.getKind(), controller.getName());
        } catch (KubernetesClientException e) {
            return direct; // not allowed to read it, or gone: the direct controller is still true
        }
    }

    private static OwnerReference controller(HasMetadata object) {
        if (object.getMetadata().getOwnerReferences() == null) {
            return null;
        }
        return object.getMetadata().getOwnerReferences().stream()
                .filter(reference -> Boolean.TRUE.equals(reference.getController()))
                .findFirst().orElse(null);
    }
}
