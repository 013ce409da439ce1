import { ListSkeleton } from "@/components/agents/skeletons";

export default function Loading() {
  return <ListSkeleton label="Loading skills…" />;
}
