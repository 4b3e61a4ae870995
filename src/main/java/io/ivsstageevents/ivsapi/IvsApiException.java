package io.ivsstageevents.ivsapi;

/**
 * A call to the IVS Real-Time API that did not succeed. The message names the operation, the HTTP status and the
 * AWS error type, never the response body: error messages may quote request members, and answers hold user ids
 * and token attributes.
 */
public final class IvsApiException extends RuntimeException {
    private final String operation;
    private final int statusCode;
    private final String errorType;
    private final String requestId;

    IvsApiException(String operation, int statusCode, String errorType, String requestId, String problem) {
        super("IVS " + operation + " failed: " + problem
                + (statusCode == 0 ? "" : " (HTTP " + statusCode + (errorType == null ? "" : " " + errorType) + ")")
                + (requestId == null ? "" : ", request id " + requestId));
        this.operation = operation;
        this.statusCode = statusCode;
        this.errorType = errorType;
        this.requestId = requestId;
    }

    IvsApiException(String operation, String problem, Throwable cause) {
        super("IVS " + operation + " failed: " + problem, cause);
        this.operation = operation;
        this.statusCode = 0;
        this.errorType = null;
        this.requestId = null;
    }

    /** The operation's name as in the service model, {@code ListParticipantEvents} say. */
    public String operation() {
        return operation;
    }

    /** The HTTP status of the answer; 0 when there was none (the connection failed). */
    public int statusCode() {
        return statusCode;
    }

    /** The AWS error type ({@code ValidationException}, {@code ThrottlingException}...); null when unknown. */
    public String errorType() {
        return errorType;
    }

    /** AWS's id of the failed request, for a support case; null when the answer had none. */
    public String requestId() {
        return requestId;
    }
}
