-- Redis's clock as TIME gives it: { seconds, microseconds }. A script rather than a plain TIME so that
-- it is routed by key, like the throughput script: in a Redis Cluster both then read the clock of the
-- node that owns the bot's slot (a keyless TIME would go to any node).
return redis.call('TIME')
