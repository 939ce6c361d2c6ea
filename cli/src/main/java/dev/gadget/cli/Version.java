package dev.gadget.cli;

import picocli.CommandLine.IVersionProvider;

/** The version the build wrote into the jar's manifest. */
public final class Version implements IVersionProvider {
    /** What a build outside Maven's packaging (tests on classes) says. */
    public static final String DEVELOPMENT = "(development build)";

    @Override
    public String[] getVersion() {
        return new String[] {"gadget " + number()};
    }

    /** "0.1.0", or {@link #DEVELOPMENT}. */
    public static String number() {
        String version = Version.class.getPackage().getImplementationVersion();
        return version == null ? DEVELOPMENT : version;
    }
}
