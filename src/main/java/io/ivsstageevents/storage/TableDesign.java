package io.ivsstageevents.storage;

import io.ivsstageevents.parsing.IsoTimestamps;
import java.time.Instant;

/**
 * The single table's key design. template.yaml declares the same keys and indexes; TemplateTest holds the two
 * together. Every access pattern in the README is one Query on these keys.
 *
 * <pre>
 * item               pk                            sk                                         GSI keys
 * EVENT              SESSION#{stageArn}#{session}  EVENT#{time}#{participant}#{name}#{digest}  gsi1: PARTICIPANT#{participant} / {time}#{digest}
 * TOKEN_STATE        PARTICIPANT#{participant}     TOKEN
 * REPLICATION_STATE  PARTICIPANT#{participant}     REPLICATION#{destinationStageArn}           gsi2: DESTINATION#{destinationStageArn} / PARTICIPANT#{participant}
 * </pre>
 */
public final class TableDesign {
    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String GSI1_PK = "gsi1pk";
    public static final String GSI1_SK = "gsi1sk";
    public static final String GSI2_PK = "gsi2pk";
    public static final String GSI2_SK = "gsi2sk";
    public static final String BY_PARTICIPANT_INDEX = "ByParticipant";
    public static final String BY_DESTINATION_INDEX = "ByDestination";
    /** Epoch seconds; the table's TTL attribute. */
    public static final String EXPIRES_AT = "expiresAt";
    public static final String ITEM_TYPE = "itemType";

    public static final String EVENT = "EVENT";
    public static final String TOKEN_STATE = "TOKEN_STATE";
    public static final String REPLICATION_STATE = "REPLICATION_STATE";

    public static final String SESSION_PREFIX = "SESSION#";
    public static final String PARTICIPANT_PREFIX = "PARTICIPANT#";
    public static final String DESTINATION_PREFIX = "DESTINATION#";
    public static final String EVENT_PREFIX = "EVENT#";
    public static final String TOKEN_SK = "TOKEN";
    public static final String REPLICATION_PREFIX = "REPLICATION#";

    /** Fixed width, so that string order is time order in sort keys and conditions. */
    private TableDesign() {
    }

    public static String sessionKey(String stageArn, String sessionId) {
        return SESSION_PREFIX + stageArn + "#" + sessionId;
    }

    public static String participantKey(String participantId) {
        return PARTICIPANT_PREFIX + participantId;
    }

    public static String destinationKey(String destinationStageArn) {
        return DESTINATION_PREFIX + destinationStageArn;
    }

    public static String replicationSortKey(String destinationStageArn) {
        return REPLICATION_PREFIX + destinationStageArn;
    }

    public static String sortableTime(Instant time) {
        return IsoTimestamps.formatSortable(time);
    }
}
