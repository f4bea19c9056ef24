# A container for union-news-bot: one process, its data in a volume.
#   docker build -t union-news-bot .
#   docker run -d --name union-news-bot --env-file .env -v union-news-data:/data union-news-bot
#   docker exec union-news-bot union-news-bot backup /data/backup-$(date +%F).sqlite3
#   docker logs -f union-news-bot
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p union-news-bot

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /data --create-home bot
COPY --from=build /src/target/release/union-news-bot /usr/local/bin/union-news-bot
COPY --from=build /src/data/pages /opt/union-news-bot/pages
ENV DATA_DIR=/data PAGES_DIR=/opt/union-news-bot/pages RUST_LOG=info
USER bot
VOLUME /data
WORKDIR /data
# SIGTERM finishes the replies and deliveries in progress.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/union-news-bot"]
CMD ["bot"]
