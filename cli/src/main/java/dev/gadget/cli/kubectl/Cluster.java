package dev.gadget.cli.kubectl;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.File;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The cluster as kubectl would reach it: the kubeconfig of --kubeconfig, else of $KUBECONFIG (files
 * joined by ':'), else ~/.kube/config; the context of --context, else the current one; its namespace
 * as the default of -n. The client is made once, when first needed.
 */
final class Cluster implements AutoCloseable {
    private final String kubeconfig;
    private final String context;
    private KubernetesClient client;

    Cluster(String kubeconfig, String context) {
        this.kubeconfig = kubeconfig;
        this.context = context;
    }

    /** --kubeconfig and --context wherever they stand in the arguments, as kubectl takes them. */
    static Cluster fromArguments(List<String> args) {
        return new Cluster(flag(args, "--kubeconfig"), flag(args, "--context"));
    }

    private static String flag(List<String> args, String name) {
        String value = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                break;
            }
            if (arg.equals(name) && i + 1 < args.size()) {
                value = args.get(++i);
            } else if (arg.startsWith(name + "=")) {
                value = arg.substring(name.length() + 1);
            }
        }
        return value;
    }

    synchronized KubernetesClient client() {
        if (client == null) {
            Config config;
            if (kubeconfig != null) {
                File file = new File(kubeconfig);
                if (!file.isFile()) {
                    throw new IllegalStateException("--kubeconfig " + kubeconfig + ": no such file: give the path of"
                            + " a kubeconfig file");
                }
                config = Config.fromKubeconfig(context, file);
            } else {
                requireKubeconfig();
                config = Config.autoConfigure(context);
            }
            if (context != null && (config.getCurrentContext() == null
                    || !context.equals(config.getCurrentContext().getName()))) {
                throw new IllegalStateException("--context " + context + ": the kubeconfig has no such context: see"
                        + " kubectl config get-contexts");
            }
            client = new KubernetesClientBuilder().withConfig(config).build();
        }
        return client;
    }

    /**
     * Without a kubeconfig, fabric8 would try https://kubernetes.default.svc and fail with an unresolved
     * address; say instead what is missing. Inside a pod (KUBERNETES_SERVICE_HOST) the service account serves.
     */
    private static void requireKubeconfig() {
        String variable = System.getenv("KUBECONFIG");
        if (variable != null && !variable.isBlank()) {
            boolean any = Arrays.stream(variable.split(File.pathSeparator))
                    .anyMatch(path -> !path.isBlank() && new File(path).isFile());
            if (!any) {
                throw new IllegalStateException("KUBECONFIG=" + variable + " names no file that exists: set it to your"
                        + " cluster's kubeconfig, or give --kubeconfig FILE");
            }
            return;
        }
        File home = new File(System.getProperty("user.home"), ".kube/config");
        if (!home.isFile() && System.getenv("KUBERNETES_SERVICE_HOST") == null) {
            throw new IllegalStateException("no kubeconfig: " + home + " does not exist and KUBECONFIG is not set: give"
                    + " --kubeconfig FILE, or set KUBECONFIG");
        }
    }

    /** The namespace of the context, as kubectl's default for -n ("default" when it names none). */
    String namespace() {
        return Objects.requireNonNullElse(client().getNamespace(), "default");
    }

    /** An API server's refusal or a connection failure, in one line with what to do. */
    static String describe(KubernetesClientException e, KubernetesClient client) {
        String said = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                : PodConnection.describe(e.getCause() != null ? e.getCause() : e);
        return switch (e.getCode()) {
            case 0, -1 -> "cannot reach the API server at " + client.getMasterUrl() + ": " + said
                    + " — check the cluster and your kubeconfig (kubectl cluster-info)";
            case 401 -> "the API server refused your credentials (401): " + said + " — log in again or check your"
                    + " kubeconfig's user";
            case 403 -> said + " (403) — ask for that permission, or use a context that has it";
            default -> "the API server answered " + e.getCode() + ": " + said;
        };
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
        }
    }
}
