"""Per-chat state shared by replicas: conversation memory and flood windows (adapter layer).

In this process by default; in Redis when REDIS_URL is set. bot/core never imports this.
"""
