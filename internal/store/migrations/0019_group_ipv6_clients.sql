-- The flood and duplicate checks count a client by its network: an IPv4
-- address, or the /64 an IPv6 address is in (one subscriber's line gets a
-- whole /64, so counting its addresses one by one lets it post without
-- limit). network is NULL when it is the address itself (every IPv4
-- client), so it costs nothing there; the index is on the network either
-- way. Comments from before keep their address as their network.
ALTER TABLE comments ADD COLUMN network TEXT;
DROP INDEX comments_ip_seq;
CREATE INDEX comments_network_seq ON comments (coalesce(network, ip), client_seq);
