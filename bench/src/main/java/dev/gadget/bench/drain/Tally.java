package dev.gadget.bench.drain;

/**
 * What a consumer saw in one measurement.
 *
 * @param records records handled
 * @param errors records whose sequence number did not follow the previous one (must be 0)
 * @param timedRecords records handled within {@code timedNanos}
 */
record Tally(long records, long errors, long timedRecords, long timedNanos) {

    double perSecond() {
        return timedNanos <= 0 ? Double.NaN : timedRecords * 1e9 / timedNanos;
    }

    /** Parses the C consumer's line: "records N errors N timed N nanos N". */
    static Tally parse(String line) {
        String[] words = line == null ? new String[0] : line.strip().split(" ");
        if (words.length != 8 || !words[0].equals("records") || !words[2].equals("errors")
                || !words[4].equals("timed") || !words[6].equals("nanos")) {
            throw new IllegalStateException("the C consumer printed '" + line + "', not its result line");
        }
        return new Tally(Long.parseLong(words[1]), Long.parseLong(words[3]), Long.parseLong(words[5]),
                Long.parseLong(words[7]));
    }
}
