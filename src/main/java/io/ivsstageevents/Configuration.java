package io.ivsstageevents;

import io.ivsstageevents.path.Log;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The function's settings, read once at init from environment variables. Names and defaults are documented in
 * docs/DEPLOYMENT.md ("Configuration: the environment variables") and set by template.yaml.
 */
public final class Configuration {
    public static final String TABLE_NAME = "TABLE_NAME";
    public static final String RETENTION_DAYS = "RETENTION_DAYS";
    public static final String DYNAMODB_ENDPOINT = "DYNAMODB_ENDPOINT";
    public static final String LOG_LEVEL = "LOG_LEVEL";
    public static final String METRICS_NAMESPACE = "METRICS_NAMESPACE";
    public static final String METRICS_STAGE_DIMENSION = "METRICS_STAGE_DIMENSION";
    public static final String AWS_REGION = "AWS_REGION";
    public static final String RECONCILIATION_STAGE_ARNS = "RECONCILIATION_STAGE_ARNS";
    public static final String RECONCILIATION_LOOKBACK_HOURS = "RECONCILIATION_LOOKBACK_HOURS";
    public static final String RECONCILIATION_REQUESTS_PER_SECOND = "RECONCILIATION_REQUESTS_PER_SECOND";
    public static final String IVS_ENDPOINT = "IVS_ENDPOINT";

    private final String tableName;
    private final int retentionDays;
    private final URI dynamoDbEndpoint;
    private final Log.Level logLevel;
    private final String metricsNamespace;
    private final boolean metricsStageDimension;
    private final String region;
    private final List<String> reconciliationStageArns;
    private final Duration reconciliationLookback;
    private final double reconciliationRequestsPerSecond;
    private final URI ivsEndpoint;

    private Configuration(Map<String, String> env) {
        this.tableName = required(env, TABLE_NAME);
        this.retentionDays = retentionDays(env.getOrDefault(RETENTION_DAYS, "0"));
        String endpoint = blankToNull(env.get(DYNAMODB_ENDPOINT));
        this.dynamoDbEndpoint = endpoint == null ? null : URI.create(endpoint);
        this.logLevel = Log.Level.valueOf(env.getOrDefault(LOG_LEVEL, "INFO").trim().toUpperCase(Locale.ROOT));
        this.metricsNamespace = env.getOrDefault(METRICS_NAMESPACE, "IVS/StageEvents");
        this.metricsStageDimension = Boolean.parseBoolean(env.getOrDefault(METRICS_STAGE_DIMENSION, "false"));
        this.region = required(env, AWS_REGION);
        String stageArns = blankToNull(env.get(RECONCILIATION_STAGE_ARNS));
        this.reconciliationStageArns = stageArns == null ? List.of()
                : Arrays.stream(stageArns.split(",")).map(String::trim).filter(arn -> !arn.isEmpty()).toList();
        this.reconciliationLookback = Duration.ofSeconds(
                Math.round(positive(env, RECONCILIATION_LOOKBACK_HOURS, "24") * 3600));
        this.reconciliationRequestsPerSecond = positive(env, RECONCILIATION_REQUESTS_PER_SECOND, "1");
        String ivs = blankToNull(env.get(IVS_ENDPOINT));
        this.ivsEndpoint = ivs == null ? null : URI.create(ivs);
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

    /** The stages the reconciler reads; empty: every stage ListStages returns. */
    public List<String> reconciliationStageArns() {
        return reconciliationStageArns;
    }

    /** Sessions that ended longer ago than this are not read. */
    public Duration reconciliationLookback() {
        return reconciliationLookback;
    }

    /** The reconciler's budget of IVS API requests, retries included. */
    public double reconciliationRequestsPerSecond() {
        return reconciliationRequestsPerSecond;
    }

    /** Null in AWS; set for the local stand-in of the IVS Real-Time API. */
    public URI ivsEndpoint() {
        return ivsEndpoint;
    }

    /** A number above zero, or the default when unset; fails at init naming the variable. */
    private static double positive(Map<String, String> env, String name, String defaultValue) {
        String text = env.getOrDefault(name, defaultValue).trim();
        double value;
        try {
            value = Double.parseDouble(text.isEmpty() ? defaultValue : text);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(name + " must be a number", e);
        }
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalStateException(name + " must be above 0, was " + text);
        }
        return value;
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
