package dev.gadget.gadgets;

/** An event of any gadget: it starts with the common header. */
public interface GadgetEvent {
    EventHeader header();
}
