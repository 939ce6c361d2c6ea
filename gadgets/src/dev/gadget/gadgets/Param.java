package dev.gadget.gadgets;

/** A gadget's own on/off option, e.g. trace exec's {@code --paths}. */
public record Param(String name, String description) {
}
