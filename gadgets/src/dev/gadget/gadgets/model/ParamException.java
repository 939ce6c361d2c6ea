package dev.gadget.gadgets.model;

/** A parameter value a gadget does not take; the message is one line naming the flag and what it takes. */
public final class ParamException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ParamException(String message) {
        super(message);
    }
}
