package io.ivsstageevents;

import java.net.URI;
import java.util.Locale;
import java.util.Map;

/**
 * The function's settings, read once at init from environment variables. Names and defaults are documented in
 * the README's "Configuration" section and set by template.yaml.
 */
public final class Configuration {
    public static final String TABLE_NAME = "TABLE_NAME";
    public static final String RETENTION_DAYS = "RETENTION_DAYS";
    public static final String DYNAMODB_ENDPOINT = "DYNAMODB_ENDPOINT";
    public static final String LOG_LEVEL = "LOG_LEVEL";
    public static final String METRICS_NAMESPACE = "METRICS_NAMESPACE";
    public static final String METRICS_STAGE_DIMENSION = "METRICS_STAGE_DIMENSION";
    public static final String AWS_REGION = "AWS_REGION";

    private final String tableName;
    private final int retentionDays;
    private final URI dynamoDbEndpoint;
    private final Log.Level logLevel;
    private final String metricsNamespace;
    private final boolean metricsStageDimension;
    private final String region;

    private Configuration(Map<String, String> env) {
        this.tableName = required(env, TABLE_NAME);
        this.retentionDays = retentionDays(env.getOrDefault(RETENTION_DAYS, "0"));
        String endpoint = blankToNull(env.get(DYNAMODB_ENDPOINT));
        this.dynamoDbEndpoint = endpoint == null ? null : URI.create(endpoint);
        this.logLevel = Log.Level.valueOf(env.getOrDefault(LOG_LEVEL, "INFO").trim().toUpperCase(Locale.ROOT));
        this.metricsNamespace = env.getOrDefault(METRICS_NAMESPACE, "IVS/StageEvents");
        this.metricsStageDimension = Boolean.parseBoolean(env.getOrDefault(METRICS_STAGE_DIMENSION, "false"));
        this.region = required(env, AWS_REGION);
    }

    /** Fails at init, naming the variable, rather than at the first event. */
    public static Configuration fromEnvironment(Map<String, String> env) {
        return new Configuration(env);
    }

    public String tableName() {
        return tableName;
    }

    /** Days an item is kept after its event time; 0 keeps items forever. */
    public int retentionDays() {
        return retentionDays;
    }

    /** Null in AWS; set for DynamoDB Local. */
    public URI dynamoDbEndpoint() {
        return dynamoDbEndpoint;
    }

    public Log.Level logLevel() {
        return logLevel;
    }

    public String metricsNamespace() {
        return metricsNamespace;
    }

    /** Adds a per-stage dimension set to ParticipantErrors: one billed custom metric per stage and code. */
    public boolean metricsStageDimension() {
        return metricsStageDimension;
    }

    public String region() {
        return region;
    }

    private static String required(Map<String, String> env, String name) {
        String value = blankToNull(env.get(name));
        if (value == null) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return value;
    }

    private static int retentionDays(String value) {
        try {
            int days = Integer.parseInt(value.trim());
            if (days < 0) {
                throw new IllegalStateException(RETENTION_DAYS + " must be 0 or more, was " + days);
            }
            return days;
        } catch (NumberFormatException e) {
            throw new IllegalStateException(RETENTION_DAYS + " must be a whole number of days", e);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
