package io.ivsstageevents.testing.ivs;

/**
 * An error answer. The service's modeled errors (ValidationException, AccessDeniedException,
 * ResourceNotFoundException) carry the model's {@code exceptionMessage} member; errors from AWS's front door
 * (signature checks, throttling, unreadable JSON), which no operation models, carry {@code message}.
 */
record ApiError(int status, String type, String message, boolean modeled) {
    static ApiError frontDoor(int status, String type, String message) {
        return new ApiError(status, type, message, false);
    }

    static ApiError validation(String message) {
        return new ApiError(400, "ValidationException", message, true);
    }

    static ApiError serialization(String message) {
        return frontDoor(400, "SerializationException", message);
    }

    static ApiError notFound(String message) {
        return new ApiError(404, "ResourceNotFoundException", message, true);
    }

    static ApiError accessDenied(String message) {
        return new ApiError(403, "AccessDeniedException", message, true);
    }
}
