package dev.gadget.daemon;

/**
 * A request the daemon refuses: the HTTP status and one line for the client, naming the field or
 * what is wrong and what to do. It carries no stack trace: it is an answer, not a failure.
 */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    ApiError(int status, String message) {
        super(message.replace('\n', ' '), null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, message);
    }

    static ApiError notFound(String message) {
        return new ApiError(404, message);
    }

    static ApiError conflict(String message) {
        return new ApiError(409, message);
    }
}
