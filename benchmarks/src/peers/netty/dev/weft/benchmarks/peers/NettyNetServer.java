package dev.weft.benchmarks.peers;

import dev.weft.benchmarks.net.HeadScanner;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * The Netty 4.2 peers of the network sitting: one event-loop thread (it accepts too), NIO or
 * epoll transport, {@code TCP_NODELAY} as asyncio and Weft set it, bound to 127.0.0.1. The raw
 * handlers are {@link ChannelInboundHandlerAdapter}s that write per request (HTTP: per head, with the
 * same {@link HeadScanner} as Weft's protocol) or per read (echo) and flush once per read, in
 * {@code channelReadComplete}; the codec variant is the usual {@link HttpServerCodec} server.
 *
 * <p>Usage: {@code NettyNetServer nio|epoll raw-http|codec-http|echo PORT}; prints {@code READY}
 * once it listens.
 */
public final class NettyNetServer {
    private static final ByteBuf RESPONSE = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(HeadScanner.RESPONSE.length).writeBytes(HeadScanner.RESPONSE)).asReadOnly();
    private static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    private NettyNetServer() {
    }

    /** Counts the heads in each read and writes one answer for each. */
    static final class RawHttpHandler extends ChannelInboundHandlerAdapter {
        private final HeadScanner scanner = new HeadScanner();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                int n = scanner.count(in.nioBuffer(in.readerIndex(), in.readableBytes()));
                for (; n > 0; n--) {
                    ctx.write(RESPONSE.duplicate(), ctx.voidPromise());
                }
            } finally {
                in.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Writes back what it reads. */
    @Sharable
    static final class EchoHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** {@link HttpServerCodec}'s requests, answered with a full response each. */
    @Sharable
    static final class CodecHttpHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpRequest) {
                    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                            Unpooled.wrappedBuffer(BODY));
                    r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                            .setInt(HttpHeaderNames.CONTENT_LENGTH, BODY.length);
                    ctx.write(r, ctx.voidPromise());
                }
            } finally {
                if (msg instanceof HttpObject) {
                    ReferenceCountUtil.release(msg);
                }
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /**
     * Serves until killed.
     *
     * @param args the transport ({@code nio} or {@code epoll}), the handler ({@code raw-http},
     *             {@code codec-http} or {@code echo}) and the port
     * @throws InterruptedException when interrupted while serving
     */
    public static void main(String[] args) throws InterruptedException {
        IoHandlerFactory io;
        Class<? extends ServerChannel> channel;
        switch (args[0]) {
            case "nio" -> {
                io = NioIoHandler.newFactory();
                channel = NioServerSocketChannel.class;
            }
            case "epoll" -> {
                Epoll.ensureAvailability();
                io = EpollIoHandler.newFactory();
                channel = EpollServerSocketChannel.class;
            }
            default -> throw new IllegalArgumentException("transport must be nio or epoll, not " + args[0]);
        }
        String handler = args[1];
        if (!handler.equals("raw-http") && !handler.equals("codec-http") && !handler.equals("echo")) {
            throw new IllegalArgumentException("handler must be raw-http, codec-http or echo, not " + handler);
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, io);
        try {
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(channel)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            switch (handler) {
                                case "raw-http" -> ch.pipeline().addLast(new RawHttpHandler());
                                case "codec-http" -> ch.pipeline().addLast(new HttpServerCodec(), new CodecHttpHandler());
                                default -> ch.pipeline().addLast(new EchoHandler());
                            }
                        }
                    })
                    .bind("127.0.0.1", Integer.parseInt(args[2])).sync().channel();
            System.out.println("READY " + server.localAddress());
            System.out.flush();
            server.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }
}
