package io.ivsstageevents.testing.ivs;

import com.sun.net.httpserver.Headers;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Checks a request's SigV4 {@code Authorization} header the way AWS does, from the canonical request over the
 * headers the client chose to sign and the body as received. Written from the SigV4 specification rather than
 * with the SDK's signer, so that the client's use of that signer is checked by something independent of it.
 */
final class SigV4Verifier {
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    /** AWS refuses a signature whose date is further than this from its own clock. */
    private static final Duration ALLOWED_SKEW = Duration.ofMinutes(5);
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final HexFormat HEX = HexFormat.of();

    private final AwsCredentialsIdentity credentials;
    private final String region;
    private final String service;
    private final Clock clock;

    SigV4Verifier(AwsCredentialsIdentity credentials, String region, String service, Clock clock) {
        this.credentials = credentials;
        this.region = region;
        this.service = service;
        this.clock = clock;
    }

    /** Null when the stand-in's credentials signed exactly this request; else the error AWS answers with. */
    ApiError verify(String method, URI uri, Headers headers, byte[] body) {
        String authorization = headers.getFirst("Authorization");
        if (authorization == null) {
            return ApiError.frontDoor(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
        }
        Map<String, String> parts = authorizationParts(authorization);
        String[] scope = parts.getOrDefault("Credential", "").split("/", -1);
        String signedHeaders = parts.get("SignedHeaders");
        String signature = parts.get("Signature");
        String amzDate = headers.getFirst("X-Amz-Date");
        if (parts.isEmpty() || scope.length != 5 || signedHeaders == null || signature == null || amzDate == null) {
            return ApiError.frontDoor(400, "IncompleteSignatureException",
                    "Authorization header requires 'Credential', 'Signature', 'SignedHeaders' and X-Amz-Date.");
        }
        if (!scope[0].equals(credentials.accessKeyId()) || !sessionTokenMatches(headers)) {
            return ApiError.frontDoor(403, "UnrecognizedClientException",
                    "The security token included in the request is invalid.");
        }
        Instant signedAt;
        try {
            signedAt = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return ApiError.frontDoor(400, "IncompleteSignatureException",
                    "X-Amz-Date is not in ISO 8601 basic format.");
        }
        if (Duration.between(signedAt, clock.instant()).abs().compareTo(ALLOWED_SKEW) > 0) {
            return invalid("Signature expired: " + amzDate + " is outside 5 minutes of the server's time.");
        }
        if (!scope[1].equals(amzDate.substring(0, 8)) || !scope[2].equals(region) || !scope[3].equals(service)
                || !scope[4].equals("aws4_request")) {
            return invalid("Credential should be scoped to a valid region, service '" + service + "' and date.");
        }
        List<String> signed = Arrays.asList(signedHeaders.split(";"));
        if (!signed.contains("host") || !signed.contains("x-amz-date")) {
            return invalid("'Host' and 'X-Amz-Date' must be signed.");
        }
        String canonicalRequest = method + "\n" + canonicalPath(uri) + "\n" + canonicalQuery(uri) + "\n"
                + canonicalHeaders(signed, headers) + "\n" + signedHeaders + "\n" + HEX.formatHex(sha256(body));
        String credentialScope = String.join("/", Arrays.copyOfRange(scope, 1, 5));
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + credentialScope + "\n"
                + HEX.formatHex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + credentials.secretAccessKey()).getBytes(StandardCharsets.UTF_8), scope[1]);
        key = hmac(key, scope[2]);
        key = hmac(key, scope[3]);
        key = hmac(key, "aws4_request");
        byte[] expected = HEX.formatHex(hmac(key, stringToSign)).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
            return invalid("The request signature we calculated does not match the signature you provided. "
                    + "Check your AWS Secret Access Key and signing method. "
                    + "Consult the service documentation for details.");
        }
        return null;
    }

    private boolean sessionTokenMatches(Headers headers) {
        String expected = credentials instanceof AwsSessionCredentialsIdentity
                ? ((AwsSessionCredentialsIdentity) credentials).sessionToken() : null;
        String given = headers.getFirst("X-Amz-Security-Token");
        return expected == null ? given == null : expected.equals(given);
    }

    private static ApiError invalid(String message) {
        return ApiError.frontDoor(403, "InvalidSignatureException", message);
    }

    private static Map<String, String> authorizationParts(String authorization) {
        Map<String, String> parts = new HashMap<>();
        if (!authorization.startsWith(ALGORITHM + " ")) {
            return parts;
        }
        for (String part : authorization.substring(ALGORITHM.length() + 1).split(",")) {
            int equals = part.indexOf('=');
            if (equals > 0) {
                parts.put(part.substring(0, equals).trim(), part.substring(equals + 1).trim());
            }
        }
        return parts;
    }

    private static String canonicalPath(URI uri) {
        String path = uri.getRawPath();
        return path == null || path.isEmpty() ? "/" : path;
    }

    private static String canonicalQuery(URI uri) {
        String query = uri.getRawQuery();
        if (query == null || query.isEmpty()) {
            return "";
        }
        List<String> pairs = new ArrayList<>();
        for (String pair : query.split("&")) {
            pairs.add(pair.contains("=") ? pair : pair + "=");
        }
        pairs.sort(null);
        return String.join("&", pairs);
    }

    /** Each signed header as {@code name:value}, values trimmed and inner runs of spaces made one. */
    private static String canonicalHeaders(List<String> signed, Headers headers) {
        StringBuilder canonical = new StringBuilder();
        for (String name : signed) {
            List<String> values = headers.get(name);
            List<String> trimmed = new ArrayList<>();
            if (values != null) {
                for (String value : values) {
                    trimmed.add(value.trim().replaceAll(" +", " "));
                }
            }
            canonical.append(name).append(':').append(String.join(",", trimmed)).append('\n');
        }
        return canonical.toString();
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }
}
