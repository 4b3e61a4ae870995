package io.ivsstageevents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ivsstageevents.path.Log;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigurationTest {
    private static final Map<String, String> REQUIRED = Map.of("TABLE_NAME", "stage-events", "AWS_REGION", "eu-west-1");

    @Test
    void theDefaultsAreThoseTheDeploymentGuideDocuments() {
        Configuration configuration = Configuration.fromEnvironment(REQUIRED);

        assertThat(configuration.retentionDays()).isZero();
        assertThat(configuration.metricsNamespace()).isEqualTo("IVS/StageEvents");
        assertThat(configuration.metricsStageDimension()).isFalse();
        assertThat(configuration.logLevel()).isEqualTo(Log.Level.INFO);
        assertThat(configuration.dynamoDbEndpoint()).isNull();
    }

    @Test
    void everySettingIsRead() {
        Map<String, String> env = new HashMap<>(REQUIRED);
        env.putAll(Map.of("RETENTION_DAYS", "90", "METRICS_NAMESPACE", "Acme/IVS", "METRICS_STAGE_DIMENSION", "true",
                "LOG_LEVEL", "debug", "DYNAMODB_ENDPOINT", "http://127.0.0.1:8000"));

        Configuration configuration = Configuration.fromEnvironment(env);

        assertThat(configuration.tableName()).isEqualTo("stage-events");
        assertThat(configuration.region()).isEqualTo("eu-west-1");
        assertThat(configuration.retentionDays()).isEqualTo(90);
        assertThat(configuration.metricsNamespace()).isEqualTo("Acme/IVS");
        assertThat(configuration.metricsStageDimension()).isTrue();
        assertThat(configuration.logLevel()).isEqualTo(Log.Level.DEBUG);
        assertThat(configuration.dynamoDbEndpoint()).isEqualTo(URI.create("http://127.0.0.1:8000"));
    }

    @Test
    void aMissingTableNameFailsAtInitNamingTheVariable() {
        assertThatThrownBy(() -> Configuration.fromEnvironment(Map.of("AWS_REGION", "eu-west-1")))
                .hasMessageContaining("TABLE_NAME");
    }

    @Test
    void aNegativeRetentionIsRefused() {
        Map<String, String> env = new HashMap<>(REQUIRED);
        env.put("RETENTION_DAYS", "-1");

        assertThatThrownBy(() -> Configuration.fromEnvironment(env)).hasMessageContaining("RETENTION_DAYS");
    }

    @Test
    void aRetentionThatIsNotANumberIsRefused() {
        Map<String, String> env = new HashMap<>(REQUIRED);
        env.put("RETENTION_DAYS", "ninety");

        assertThatThrownBy(() -> Configuration.fromEnvironment(env)).hasMessageContaining("RETENTION_DAYS");
    }
}
