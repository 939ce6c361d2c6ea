package dev.gadget.gadgets;

/** What decoding needs beyond the record: here, how to turn CLOCK_BOOTTIME into wall-clock time. */
public record DecodeContext(long bootToEpochNanos) {
}
