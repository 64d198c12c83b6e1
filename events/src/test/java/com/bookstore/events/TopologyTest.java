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
      Set<String> carried = new HashSet<>();
      for (String topic : Topology.inputs(route.function())) {
        Set<String> types = Topology.typesOn(topic);
        assertTrue(types.stream().allMatch(route::takes), route.function() + " reads " + topic);
        carried.addAll(types);
      }
      assertEquals(route.triggers(), carried);
    }
  }

  @Test
  void everyTypeHasItsOwnTopicAndTheNameLeadsBackToIt() {
    Set<String> names = new HashSet<>();
    for (EventType type : EventCatalogue.all()) {
      String topic = Topology.topicOf(type.type());
      if (Topology.isCourierType(type.type())) {
        assertEquals(Topics.COURIERS, topic);
        assertTrue(Topology.typesOn(topic).contains(type.type()));
        continue;
      }
      assertTrue(names.add(topic), topic + " twice");
      assertEquals(Optional.of(type.type()), Topology.typeOf(topic));
      assertTrue(topic.matches("[a-z0-9.-]{1,249}"), topic);
    }
    assertEquals(Optional.empty(), Topology.typeOf(Topics.COURIERS));
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
    for (String type : Topology.externalFacts()) {
      assertTrue(Topology.producers(type).isEmpty(), type + " comes from outside");
      assertEquals(Topics.COURIERS, Topology.topicOf(type));
    }
    for (EventType type : EventCatalogue.all()) {
      if (type.kind() == EventKind.FACT
          && !Topology.consumers(type.type()).isEmpty()
          && !Topology.externalFacts().contains(type.type())) {
        assertTrue(
            !Topology.producers(type.type()).isEmpty(),
            type.type() + " is taken but no function emits it");
      }
    }
  }

  @Test
  void theTopicListHasOneTopicPerTypeTheBrokersTheCouriersAndTheDeadLetters() {
    List<Topology.Topic> topics = Topology.topics();
    assertEquals(EventCatalogue.all().size() - Topology.externalFacts().size() + 3, topics.size());
    assertEquals(1, topics.stream().filter(t -> t.kind() == Topology.TopicKind.COURIERS).count());
    assertEquals(
        1, topics.stream().filter(t -> t.kind() == Topology.TopicKind.DEAD_LETTER).count());
    assertEquals(1, topics.stream().filter(t -> t.kind() == Topology.TopicKind.BROKER).count());
  }
}
