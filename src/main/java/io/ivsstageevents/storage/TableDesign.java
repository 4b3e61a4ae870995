package io.ivsstageevents.storage;

import io.ivsstageevents.json.IsoTimestamps;
import io.ivsstageevents.model.InvalidEventException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;

/**
 * The single table's key design. template.yaml declares the same keys and indexes; TemplateTest holds the two
 * together. Every access pattern in docs/TABLE.md is one Query on these keys.
 *
 * <pre>
 * item               pk                            sk                                         GSI keys
 * EVENT              SESSION#{stageArn}#{session}  EVENT#{time}#{participant}#{name}#{digest}  gsi1: PARTICIPANT#{participant} / {time}#{digest}
 * TOKEN_STATE        PARTICIPANT#{participant}     TOKEN
 * REPLICATION_STATE  PARTICIPANT#{participant}     REPLICATION#{destinationStageArn}           gsi2: DESTINATION#{destinationStageArn} / PARTICIPANT#{participant}
 * UNRECOGNIZED       UNRECOGNIZED#{yyyy-MM-dd}     {time}#{digest}
 * RECONCILED_SESSION RECONCILIATION#{stageArn}     SESSION#{sessionId}
 * RECONCILIATION_CHECKPOINT  RECONCILIATION        CHECKPOINT
 * </pre>
 *
 * <p>The ledger's sort key names an event by what every form of it carries (see StageEventItems): its time
 * there is the whole second, and its digest that of the identity, so the item of an event keeps its key when
 * another form of it brings a finer time or more members.
 *
 * <p>Kept events are partitioned by day, so that replaying them reads one day at a time and a flood of a new
 * event kind spreads over partitions as the days go by.
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
    /** On a ledger item: the detail's members this version does not read, in DynamoDB's native types. */
    public static final String UNKNOWN_MEMBERS = "unknownMembers";

    public static final String EVENT = "EVENT";
    public static final String TOKEN_STATE = "TOKEN_STATE";
    public static final String REPLICATION_STATE = "REPLICATION_STATE";
    public static final String UNRECOGNIZED = "UNRECOGNIZED";
    public static final String RECONCILED_SESSION = "RECONCILED_SESSION";
    public static final String RECONCILIATION_CHECKPOINT = "RECONCILIATION_CHECKPOINT";

    public static final String SESSION_PREFIX = "SESSION#";
    public static final String PARTICIPANT_PREFIX = "PARTICIPANT#";
    public static final String DESTINATION_PREFIX = "DESTINATION#";
    public static final String EVENT_PREFIX = "EVENT#";
    public static final String TOKEN_SK = "TOKEN";
    public static final String REPLICATION_PREFIX = "REPLICATION#";
    public static final String UNRECOGNIZED_PREFIX = "UNRECOGNIZED#";
    public static final String RECONCILIATION_PREFIX = "RECONCILIATION#";
    public static final String CHECKPOINT_PK = "RECONCILIATION";
    public static final String CHECKPOINT_SK = "CHECKPOINT";
    /** On a ledger item: the ways its event came, a string set of "EventBridge" and "API". */
    public static final String SOURCE = "source";
    /** Where an event without any time is kept, in place of a day. */
    public static final String UNDATED = "undated";

    private static final HexFormat HEX = HexFormat.of();

    /** Longest key part accepted; DynamoDB allows 2048 bytes for a partition key and 1024 for a sort key. */
    static final int MAX_KEY_PART_LENGTH = 256;

    private TableDesign() {
    }

    public static String sessionKey(String stageArn, String sessionId) {
        return SESSION_PREFIX + stageArn + "#" + sessionId;
    }

    public static String reconciliationKey(String stageArn) {
        return RECONCILIATION_PREFIX + stageArn;
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

    /** The partition of the events kept on a day (UTC); a null day: those kept without any time. */
    public static String unrecognizedKey(LocalDate day) {
        return UNRECOGNIZED_PREFIX + (day == null ? UNDATED : day);
    }

    /** Fixed width, so that string order is time order in sort keys and conditions. */
    public static String sortableTime(Instant time) {
        return IsoTimestamps.formatSortable(time);
    }

    /**
     * The digest in a key: SHA-256 of the content's canonical text, cut to 128 bits, in hex. The same content
     * always gives the same digest, so a redelivery finds its item.
     */
    static String digest(String canonical) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HEX.formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** The TTL of an item whose content is as of {@code time}; null (kept forever) for a retention of 0 days. */
    static Long expiresAt(Instant time, int retentionDays) {
        return retentionDays == 0 ? null : time.plus(Duration.ofDays(retentionDays)).getEpochSecond();
    }

    /**
     * A value that goes into a key must be there and must not break the key apart: printable ASCII without the
     * separator '#'. Lengths are checked only against what DynamoDB can hold, not against the API model: AWS's own
     * samples break the model's limits. The message names the member, never the value.
     */
    static void requireKeyPart(String value, String member) {
        if (value == null || value.isEmpty()) {
            throw new InvalidEventException(member, "missing, and it is needed to record this event");
        }
        if (value.length() > MAX_KEY_PART_LENGTH) {
            throw new InvalidEventException(member, "longer than " + MAX_KEY_PART_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c > '~' || c == '#') {
                throw new InvalidEventException(member,
                        "holds a character that is not printable ASCII, or '#', which separates key parts");
            }
        }
    }

    /** Sort keys hold times with four-digit years: outside them, key order would not be time order. */
    static void requireKeyTime(Instant time, String member) {
        if (time == null) {
            throw new InvalidEventException(member, "missing, and it is needed to record this event");
        }
        if (!IsoTimestamps.inFourDigitYears(time)) {
            throw new InvalidEventException(member, "a timestamp outside the years 0000 to 9999");
        }
    }
}
