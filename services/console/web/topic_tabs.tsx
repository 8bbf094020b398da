/**
 * The tabs of a topic's console pages: overview (throughput and size,
 * partitions), messages, live tail, consumers (the groups reading it, with
 * their lag), settings (configs, partitions, delete) and, for an
 * operator, produce. Plain links, so each tab has its URL and works
 * without JavaScript.
 */

/** One of the tabs. */
export type TopicTab = "overview" | "messages" | "tail" | "consumers" | "settings" | "produce";

/** The tabs of the topic page itself (`?tab=`), in order. */
export const TOPIC_PAGE_TABS = ["overview", "consumers", "settings", "produce"] as const;

/** The path of `tab` of `topic`. */
export function topicTabHref(topic: string, tab: TopicTab): string {
  const base = `/console/topics/${encodeURIComponent(topic)}`;
  switch (tab) {
    case "overview":
      return base;
    case "messages":
      return `${base}/messages`;
    case "tail":
      return `${base}/messages?tab=tail`;
    default:
      return `${base}?tab=${tab}`;
  }
}

const LABELS: Record<TopicTab, string> = {
  overview: "Overview",
  messages: "Messages",
  tail: "Live tail",
  consumers: "Consumers",
  settings: "Settings",
  produce: "Produce",
};

/** Props of TopicTabs. */
export interface TopicTabsProps {
  topic: string;
  current: TopicTab;
  /** Shows the produce tab (an operator, and not one of Kafka's internal topics). */
  canProduce: boolean;
  /** Counts shown beside a tab's name, e.g. `{ consumers: 3 }`. */
  counts?: Partial<Record<TopicTab, number>>;
}

/** The tab bar. */
export function TopicTabs({ topic, current, canProduce, counts = {} }: TopicTabsProps) {
  const tabs: TopicTab[] = ["overview", "messages", "tail", "consumers", "settings"];
  if (canProduce) tabs.push("produce");
  return (
    <nav class="tabs" aria-label={`Topic ${topic}`}>
      {tabs.map((tab) => (
        <a
          key={tab}
          href={topicTabHref(topic, tab)}
          aria-current={tab === current ? "page" : undefined}
          data-tab={tab}
        >
          {LABELS[tab]}
          {counts[tab] !== undefined && <span class="tab-count">{counts[tab]}</span>}
        </a>
      ))}
    </nav>
  );
}
