package dev.rekey.inventory.support;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Bodies of bulk imports: {@code n} credentials of one owner on one system, ids and users from a prefix. */
public final class BulkBodies {

    /** The CSV header of {@link #csv}. */
    public static final String CSV_HEADER = "id,name,kind,vaultMount,vaultPath,username,systemId,ownerId,tags,"
            + "exposedVia,grantsAccessTo,maxAgeDays,generator,strategy";

    private BulkBodies() {
    }

    public static String id(String prefix, int i) {
        return prefix + "-" + i;
    }

    public static String json(String prefix, int n, String system, String owner) {
        return IntStream.range(0, n).mapToObj(i -> "{\"id\":\"" + id(prefix, i) + "\",\"name\":\"login " + i
                        + "\",\"kind\":\"postgresql-role\",\"vaultMount\":\"secret\",\"vaultPath\":\"bulk/" + prefix
                        + "/" + i + "\",\"username\":\"" + user(prefix, i) + "\",\"systemId\":\"" + system
                        + "\",\"ownerId\":\"" + owner + "\",\"tags\":[\"bulk\",\"" + prefix
                        + "\"],\"exposedVia\":[\"okta\"],\"grantsAccessTo\":[\"" + system + "\"]}")
                .collect(Collectors.joining(",\n", "[\n", "\n]"));
    }

    public static String csv(String prefix, int n, String system, String owner) {
        return CSV_HEADER + "\n" + IntStream.range(0, n).mapToObj(i -> String.join(",", List.of(id(prefix, i),
                        "login " + i, "postgresql-role", "secret", "bulk/" + prefix + "/" + i, user(prefix, i), system,
                        owner, "bulk;" + prefix, "okta", system, "30",
                        "\"password:40;classes=lower,upper,digit\"", "in-place")))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    public static String user(String prefix, int i) {
        return "u_" + prefix.replace('-', '_') + "_" + i;
    }
}
