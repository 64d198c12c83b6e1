// Creates the local stack's missing topics in one JVM (TopicCommand takes one topic per JVM).
// Run by infra/local/stack.sh as a single-file source program:
//   java -cp '<kafka jars>' CreateTopics.java BOOTSTRAP name:partitions:retention.ms ...
// Behaves like TopicCommand --create --if-not-exists --replication-factor 1
//   --config retention.ms=... --config min.insync.replicas=1: a topic that exists is left alone.
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

public class CreateTopics {
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: CreateTopics BOOTSTRAP name:partitions:retention.ms ...");
            System.exit(2);
        }
        List<NewTopic> topics = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String[] f = args[i].split(":");
            topics.add(new NewTopic(f[0], Integer.parseInt(f[1]), (short) 1)
                    .configs(Map.of("retention.ms", f[2], "min.insync.replicas", "1")));
        }
        int failed = 0;
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0],
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000))) {
            var results = admin.createTopics(topics).values();
            for (NewTopic topic : topics) {
                try {
                    results.get(topic.name()).get();
                    System.out.println(topic.name());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        System.err.println(topic.name() + ": " + e.getCause());
                        failed++;
                    }
                }
            }
        }
        System.exit(failed == 0 ? 0 : 1);
    }
}
