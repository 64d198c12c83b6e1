package com.bookstore.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TopologyTest {

  @Test
  void everyFunctionReadsOnlyTheTopicsOfTypesItTakes() {
    for (Route route : Routing.all()) {
      for (String topic : Topology.inputs(route.function())) {
        String type = Topology.typeOf(topic).orElseThrow();
        assertTrue(route.takes(type), route.function() + " reads " + topic);
      }
      assertEquals(route.triggers().size(), Topology.inputs(route.function()).size());
    }
  }

  @Test
  void everyTypeHasItsOwnTopicAndTheNameLeadsBackToIt() {
    Set<String> names = new HashSet<>();
    for (EventType type : EventCatalogue.all()) {
      String topic = Topology.topicOf(type.type());
      assertTrue(names.add(topic), topic + " twice");
      assertEquals(Optional.of(type.type()), Topology.typeOf(topic));
      assertTrue(topic.matches("[a-z0-9.-]{1,249}"), topic);
    }
    assertEquals(Optional.empty(), Topology.typeOf(Topology.BROKER_TOPIC));
    assertEquals(Optional.empty(), Topology.typeOf(Topics.DEAD_LETTER));
  }

  @Test
  void theKeeperOfATypesTopicIsTheFirstFunctionThatTakesIt() {
    assertEquals(
        Optional.of(Routing.Functions.PLACE_ORDER), Topology.keeper(EventTypes.STOCK_RESERVED));
    assertEquals(
        List.of("place-order", "saga-step"), Topology.consumers(EventTypes.STOCK_RESERVED));
    assertEquals(Optional.empty(), Topology.keeper(EventTypes.NOTIFICATION_SENT));
  }

  @Test
  void factsAreWrittenOnlyByFunctionsAndExternalCommandsByOthers() {
    for (String type : Topology.externalCommands()) {
      assertEquals(EventKind.COMMAND, EventCatalogue.get(type).kind(), type);
      assertTrue(Topology.producers(type).isEmpty(), type);
    }
    assertTrue(Topology.externalCommands().contains(EventTypes.USER_REGISTER));
    assertTrue(Topology.externalCommands().contains(EventTypes.ORDER_PLACE));
    for (EventType type : EventCatalogue.all()) {
      if (type.kind() == EventKind.FACT && !Topology.consumers(type.type()).isEmpty()) {
        assertTrue(
            !Topology.producers(type.type()).isEmpty(),
            type.type() + " is taken but no function emits it");
      }
    }
  }

  @Test
  void theTopicListHasOneTopicPerTypeTheBrokersAndTheDeadLetters() {
    List<Topology.Topic> topics = Topology.topics();
    assertEquals(EventCatalogue.all().size() + 2, topics.size());
    assertEquals(
        1, topics.stream().filter(t -> t.kind() == Topology.TopicKind.DEAD_LETTER).count());
    assertEquals(1, topics.stream().filter(t -> t.kind() == Topology.TopicKind.BROKER).count());
  }
}
