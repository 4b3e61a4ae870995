package io.ivsstageevents.bench.coldstart.naive;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** The naive handler's view of the event: POJOs filled by reflection, the way most samples do it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class IvsEvent {
    public String id;
    public String account;
    public String region;
    public String time;
    public String source;
    @JsonProperty("detail-type")
    public String detailType;
    public List<String> resources;
    public Detail detail;

    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class Detail {
        @JsonProperty("session_id")
        public String sessionId;
        @JsonProperty("event_name")
        public String eventName;
        @JsonProperty("event_time")
        public String eventTime;
        @JsonProperty("participant_id")
        public String participantId;
        @JsonProperty("user_id")
        public String userId;
        @JsonProperty("previous_token")
        public Token previousToken;
        @JsonProperty("new_token")
        public Token newToken;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class Token {
        public List<String> capabilities;
        public Map<String, String> attributes;
        @JsonProperty("user_id")
        public String userId;
        @JsonProperty("expiration_time")
        public String expirationTime;
    }
}
