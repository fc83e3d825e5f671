<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context>
    <name>BatchNormGraphView</name>
    <message>
        <source>ε under the square root (the book&apos;s 1e-6)</source>
        <translation>平方根の中の ε（本書では 1e-6）</translation>
    </message>
    <message>
        <source>New example batch</source>
        <translation>新しいバッチの例</translation>
    </message>
    <message>
        <source>◀◀ Forward values</source>
        <translation>◀◀ 順伝播の値</translation>
    </message>
    <message>
        <source>◀ Back</source>
        <translation>◀ 戻る</translation>
    </message>
    <message>
        <source>Step backward ▶</source>
        <translation>逆伝播を1ステップ ▶</translation>
    </message>
    <message>
        <source>To the end ▶▶</source>
        <translation>最後まで ▶▶</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>全体表示</translation>
    </message>
    <message>
        <source>the whole graph in view (the wheel zooms, dragging pans)</source>
        <translation>グラフ全体を表示します（ホイールで拡大・縮小、ドラッグで移動）</translation>
    </message>
    <message>
        <source>batch x (N × D)</source>
        <translation>バッチ x（N × D）</translation>
    </message>
    <message>
        <source>upstream gradient dout</source>
        <translation>上流から伝わる勾配 dout</translation>
    </message>
    <message>
        <source>scale γ, shift β</source>
        <translation>スケール γ、シフト β</translation>
    </message>
    <message>
        <source>{table} row {row}, column {column}: {text} is not a finite number</source>
        <translation>{table} の {row} 行 {column} 列：{text} は有限の数ではありません</translation>
    </message>
    <message>
        <source> (and {n} more)</source>
        <translation>（ほか {n} 個）</translation>
    </message>
    <message>
        <source>ε: {text} is not a positive finite number</source>
        <translation>ε：{text} は正の有限の数ではありません</translation>
    </message>
    <message>
        <source>forward</source>
        <translation>順伝播</translation>
    </message>
    <message>
        <source>done</source>
        <translation>完了</translation>
    </message>
    <message>
        <source>step {stage} of {steps}</source>
        <translation>ステップ {stage}/{steps}</translation>
    </message>
    <message>
        <source>Input not used: {error}</source>
        <translation>入力は使われていません：{error}</translation>
    </message>
</context>
<context>
    <name>CurvesView</name>
    <message>
        <source>EMA (debiased)</source>
        <translation>EMA（バイアス補正）</translation>
    </message>
    <message>
        <source>moving average</source>
        <translation>移動平均</translation>
    </message>
    <message>
        <source>none</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>raw</source>
        <translation>生データ</translation>
    </message>
    <message>
        <source>log x</source>
        <translation>対数 x</translation>
    </message>
    <message>
        <source>log y</source>
        <translation>対数 y</translation>
    </message>
    <message>
        <source>smoothing</source>
        <translation>平滑化</translation>
    </message>
    <message>
        <source>window</source>
        <translation>窓幅</translation>
    </message>
    <message>
        <source>training loss per mini-batch (faded: raw, line: smoothed)</source>
        <translation>ミニバッチごとの訓練の損失（薄い線：生データ、濃い線：平滑化）</translation>
    </message>
    <message>
        <source>accuracy per epoch (solid: train, dashed: test)</source>
        <translation>エポックごとの認識精度（実線：訓練、破線：テスト）</translation>
    </message>
</context>
<context>
    <name>Editor</name>
    <message>
        <source>automatic: what sets it apart</source>
        <translation>自動：ほかの実行との違いから</translation>
    </message>
    <message>
        <source>{label} must be comma-separated integers, got {text}</source>
        <translation>{label} はカンマ区切りの整数で指定してください（入力：{text}）</translation>
    </message>
</context>
<context>
    <name>ExperimentWorker</name>
    <message>
        <source>phase</source>
        <translation>段階</translation>
    </message>
    <message>
        <source>trial</source>
        <translation>試行</translation>
    </message>
    <message>
        <source>state</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>val_acc</source>
        <translation>検証精度</translation>
    </message>
    <message>
        <source>complete</source>
        <translation>完了</translation>
    </message>
    <message>
        <source>pruned</source>
        <translation>枝刈り</translation>
    </message>
    <message>
        <source>diverged</source>
        <translation>発散</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失敗</translation>
    </message>
</context>
<context>
    <name>ExperimentsView</name>
    <message>
        <source>optimizer_paths</source>
        <translation>更新手法ごとの経路</translation>
    </message>
    <message>
        <source>compare_optimizers</source>
        <translation>更新手法の比較</translation>
    </message>
    <message>
        <source>compare_weight_init</source>
        <translation>重みの初期値の比較</translation>
    </message>
    <message>
        <source>activation_histograms</source>
        <translation>アクティベーション分布</translation>
    </message>
    <message>
        <source>batchnorm_sweep</source>
        <translation>Batch Normalizationの評価</translation>
    </message>
    <message>
        <source>overfitting</source>
        <translation>過学習の抑制</translation>
    </message>
    <message>
        <source>ensemble</source>
        <translation>アンサンブル学習</translation>
    </message>
    <message>
        <source>hyperparameter_search</source>
        <translation>ハイパーパラメータの最適化</translation>
    </message>
    <message>
        <source>optimizers</source>
        <translation>更新手法（複数）</translation>
    </message>
    <message>
        <source>lr</source>
        <translation>学習係数</translation>
    </message>
    <message>
        <source>steps</source>
        <translation>ステップ数</translation>
    </message>
    <message>
        <source>start</source>
        <translation>開始点</translation>
    </message>
    <message>
        <source>iterations</source>
        <translation>繰り返し回数</translation>
    </message>
    <message>
        <source>batch_size</source>
        <translation>バッチサイズ</translation>
    </message>
    <message>
        <source>hidden</source>
        <translation>隠れ層</translation>
    </message>
    <message>
        <source>backend</source>
        <translation>実装</translation>
    </message>
    <message>
        <source>weight_inits</source>
        <translation>重みの初期値（複数）</translation>
    </message>
    <message>
        <source>activation</source>
        <translation>活性化関数</translation>
    </message>
    <message>
        <source>optimizer</source>
        <translation>更新手法</translation>
    </message>
    <message>
        <source>activations</source>
        <translation>活性化関数（複数）</translation>
    </message>
    <message>
        <source>n_layers</source>
        <translation>層の数</translation>
    </message>
    <message>
        <source>n_nodes</source>
        <translation>ノード数</translation>
    </message>
    <message>
        <source>n_inputs</source>
        <translation>入力の数</translation>
    </message>
    <message>
        <source>bins</source>
        <translation>ビン数</translation>
    </message>
    <message>
        <source>symmetry_steps</source>
        <translation>対称性デモのステップ数</translation>
    </message>
    <message>
        <source>n_scales</source>
        <translation>スケールの数</translation>
    </message>
    <message>
        <source>scale_max</source>
        <translation>標準偏差の最大値</translation>
    </message>
    <message>
        <source>scale_min</source>
        <translation>標準偏差の最小値</translation>
    </message>
    <message>
        <source>train_size</source>
        <translation>訓練データ数</translation>
    </message>
    <message>
        <source>epochs</source>
        <translation>エポック数</translation>
    </message>
    <message>
        <source>test_size</source>
        <translation>テストデータ数</translation>
    </message>
    <message>
        <source>weight_decay</source>
        <translation>Weight decay λ</translation>
    </message>
    <message>
        <source>dropout_ratios</source>
        <translation>Dropoutの比率（複数）</translation>
    </message>
    <message>
        <source>members</source>
        <translation>モデル数</translation>
    </message>
    <message>
        <source>strategy</source>
        <translation>探索手法</translation>
    </message>
    <message>
        <source>n_trials</source>
        <translation>試行回数</translation>
    </message>
    <message>
        <source>val_rate</source>
        <translation>検証データの割合</translation>
    </message>
    <message>
        <source>lr_range</source>
        <translation>学習係数の範囲</translation>
    </message>
    <message>
        <source>weight_decay_range</source>
        <translation>Weight decayの範囲</translation>
    </message>
    <message>
        <source>pruner</source>
        <translation>枝刈り</translation>
    </message>
    <message>
        <source>store</source>
        <translation>保存ファイル</translation>
    </message>
    <message>
        <source>n_workers</source>
        <translation>ワーカー数</translation>
    </message>
    <message>
        <source>scheduler</source>
        <translation>Daskスケジューラ</translation>
    </message>
    <message>
        <source>top</source>
        <translation>上位の試行数</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>完了</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>中止</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <source>what the figure shows: the experiment&apos;s figures, one at a time</source>
        <translation>図に表示する内容：実験の図を1つずつ表示します</translation>
    </message>
    <message>
        <source>zoom accuracy</source>
        <translation>認識精度を拡大</translation>
    </message>
    <message>
        <source>fit every accuracy axis to the data (together) instead of 0 to 1</source>
        <translation>認識精度の軸を 0〜1 ではなくデータに合わせます（すべての軸をそろえて）</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>実行</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>experiment</source>
        <translation>実験</translation>
    </message>
    <message>
        <source>dataset</source>
        <translation>データセット</translation>
    </message>
    <message>
        <source>show</source>
        <translation>表示</translation>
    </message>
    <message>
        <source>running {experiment}…</source>
        <translation>{experiment} を実行中…</translation>
    </message>
    <message>
        <source>starting…</source>
        <translation>開始しています…</translation>
    </message>
    <message>
        <source>failed: {error}</source>
        <translation>失敗：{error}</translation>
    </message>
    <message>
        <source>stopped early. </source>
        <translation>途中で中止しました。</translation>
    </message>
    <message>
        <source>done. </source>
        <translation>完了。</translation>
    </message>
    <message>
        <source>panel {n}</source>
        <translation>パネル {n}</translation>
    </message>
</context>
<context>
    <name>HistogramView</name>
    <message>
        <source>activation value</source>
        <translation>アクティベーションの値</translation>
    </message>
    <message>
        <source>weight value</source>
        <translation>重みの値</translation>
    </message>
    <message>
        <source>at initialisation</source>
        <translation>初期値（学習前）</translation>
    </message>
    <message>
        <source>first snapshot (after step {step})</source>
        <translation>最初のスナップショット（{step} ステップ後）</translation>
    </message>
    <message>
        <source>count</source>
        <translation>度数</translation>
    </message>
    <message>
        <source>step</source>
        <translation>ステップ</translation>
    </message>
    <message>
        <source>same range for all layers</source>
        <translation>全層で同じ範囲</translation>
    </message>
    <message>
        <source>one value axis for every layer, so their spreads compare</source>
        <translation>全層で1つの値の軸を使い、分布の広がりを比べられるようにします</translation>
    </message>
    <message>
        <source>run</source>
        <translation>実行</translation>
    </message>
    <message>
        <source>show</source>
        <translation>表示</translation>
    </message>
    <message>
        <source>latest run</source>
        <translation>最新の実行</translation>
    </message>
    <message>
        <source>now</source>
        <translation>現在</translation>
    </message>
    <message>
        <source>first snapshot</source>
        <translation>最初のスナップショット</translation>
    </message>
    <message>
        <source>beyond the range (count)</source>
        <translation>範囲外（個数）</translation>
    </message>
    <message>
        <source>layer {n}</source>
        <translation>{n}層目</translation>
    </message>
    <message>
        <source>now (step {step})</source>
        <translation>現在（{step} ステップ）</translation>
    </message>
    <message>
        <source>count (log scale)</source>
        <translation>度数（対数スケール）</translation>
    </message>
    <message>
        <source>histogram {n}</source>
        <translation>ヒストグラム {n}</translation>
    </message>
    <message>
        <source>over time {n}</source>
        <translation>時間経過 {n}</translation>
    </message>
</context>
<context>
    <name>Hyperparameter</name>
    <message>
        <source>learning rate</source>
        <translation>学習係数</translation>
    </message>
    <message>
        <source>momentum coefficient</source>
        <translation>モーメンタムの係数</translation>
    </message>
    <message>
        <source>decay of the running mean of g²</source>
        <translation>g² の移動平均の減衰率</translation>
    </message>
    <message>
        <source>decay of the first moment</source>
        <translation>1次モーメントの減衰率</translation>
    </message>
    <message>
        <source>decay of the second moment</source>
        <translation>2次モーメントの減衰率</translation>
    </message>
    <message>
        <source>steps between two decays</source>
        <translation>減衰の間隔（ステップ数）</translation>
    </message>
    <message>
        <source>factor applied at each decay</source>
        <translation>減衰のたびに掛ける係数</translation>
    </message>
    <message>
        <source>factor applied at every step</source>
        <translation>ステップごとに掛ける係数</translation>
    </message>
    <message>
        <source>steps from the base rate down to min_lr</source>
        <translation>基本の学習係数から最小の学習係数まで下げるステップ数</translation>
    </message>
    <message>
        <source>the rate after total_steps</source>
        <translation>総ステップ数を過ぎた後の学習係数</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>trainlab — chapter 6 lab</source>
        <translation>trainlab — 6章「学習に関するテクニック」の実験室</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>設定</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>実行一覧</translation>
    </message>
    <message>
        <source> or </source>
        <translation> または </translation>
    </message>
    <message>
        <source>{tip} ({shortcuts})</source>
        <translation>{tip}（{shortcuts}）</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>開始</translation>
    </message>
    <message>
        <source>train a run with the form&apos;s settings</source>
        <translation>フォームの設定で学習を実行します</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>一時停止</translation>
    </message>
    <message>
        <source>hold the run / go on</source>
        <translation>実行を一時停止／再開します</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>end the run after its current step</source>
        <translation>現在のステップの後で実行を終了します</translation>
    </message>
    <message>
        <source>Run controls</source>
        <translation>実行の操作</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>再開</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>実行(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Save runs…</source>
        <translation>実行を保存(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Load runs…</source>
        <translation>実行を読み込む(&amp;L)…</translation>
    </message>
    <message>
        <source>Export plot as &amp;PNG…</source>
        <translation>グラフをPNGで書き出す(&amp;P)…</translation>
    </message>
    <message>
        <source>Export plot data as &amp;CSV…</source>
        <translation>グラフのデータをCSVで書き出す(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <source>Cannot start</source>
        <translation>開始できません</translation>
    </message>
    <message>
        <source>{name} (replay)</source>
        <translation>{name}（再実行）</translation>
    </message>
    <message>
        <source>A run is training</source>
        <translation>学習中の実行があります</translation>
    </message>
    <message>
        <source>the form shows the running run&apos;s settings until it ends</source>
        <translation>実行が終わるまで、フォームには実行中の設定が表示されます</translation>
    </message>
    <message>
        <source>Run is training</source>
        <translation>学習中の実行です</translation>
    </message>
    <message>
        <source>step {steps}, {rate:.0f} steps/s</source>
        <translation>{steps} ステップ、毎秒 {rate:.0f} ステップ</translation>
    </message>
    <message>
        <source>test acc {accuracy} at epoch {epoch}</source>
        <translation>エポック {epoch} のテスト精度 {accuracy}</translation>
    </message>
    <message>
        <source>{steps} steps</source>
        <translation>{steps} ステップ</translation>
    </message>
    <message>
        <source>final test acc {accuracy}</source>
        <translation>最終テスト精度 {accuracy}</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>Save runs</source>
        <translation>実行を保存</translation>
    </message>
    <message>
        <source>Load runs</source>
        <translation>実行を読み込む</translation>
    </message>
    <message>
        <source>Cannot load</source>
        <translation>読み込めません</translation>
    </message>
    <message>
        <source>whole view</source>
        <translation>ビュー全体</translation>
    </message>
    <message>
        <source>plot</source>
        <translation>グラフ</translation>
    </message>
    <message>
        <source>Export PNG</source>
        <translation>PNGの書き出し</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>CSVの書き出し</translation>
    </message>
</context>
<context>
    <name>ParallelCoordinates</name>
    <message>
        <source>{name} (log)</source>
        <translation>{name}（対数）</translation>
    </message>
</context>
<context>
    <name>ParameterPanel</name>
    <message>
        <source>Run</source>
        <translation>実行</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>ニューラルネットワーク</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>更新手法</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>学習</translation>
    </message>
    <message>
        <source>While a run trains, the underlined settings change it from its next step; the others are locked.</source>
        <translation>学習中は、下線の付いた設定を変えると次のステップから反映されます。ほかの設定は変更できません。</translation>
    </message>
    <message>
        <source>(changes the running run at its next step)</source>
        <translation>（実行中の学習に次のステップから反映されます）</translation>
    </message>
</context>
<context>
    <name>PathsView</name>
    <message>
        <source>Run</source>
        <translation>実行</translation>
    </message>
    <message>
        <source>steps</source>
        <translation>ステップ数</translation>
    </message>
    <message>
        <source>steps per frame</source>
        <translation>1フレームあたりのステップ数</translation>
    </message>
    <message>
        <source>f(x, y) = x²/20 + y²: each optimizer&apos;s steps from (−7, 2)</source>
        <translation>f(x, y) = x²/20 + y²：(−7, 2) から始めた各更新手法の経路</translation>
    </message>
    <message>
        <source>x (first parameter)</source>
        <translation>x（1つ目のパラメータ）</translation>
    </message>
    <message>
        <source>y (second parameter)</source>
        <translation>y（2つ目のパラメータ）</translation>
    </message>
</context>
<context>
    <name>RunSpec</name>
    <message>
        <source>a label for the run (default: made from the settings)</source>
        <translation>実行の名前（既定：設定から作ります）</translation>
    </message>
    <message>
        <source>mnist, fashion-mnist, sample, a folder of IDX files, or default (MNIST, else Fashion-MNIST, else the embedded sample: whichever is on the machine; never downloads)</source>
        <translation>mnist、fashion-mnist、sample、IDXファイルのフォルダ、または default（MNIST、なければ Fashion-MNIST、それもなければ組み込みのサンプル：マシンにあるものを使い、ダウンロードはしません）</translation>
    </message>
    <message>
        <source>use only the first N training samples</source>
        <translation>訓練データの最初の N 個だけを使います</translation>
    </message>
    <message>
        <source>use only the first N test samples</source>
        <translation>テストデータの最初の N 個だけを使います</translation>
    </message>
    <message>
        <source>hidden layer sizes</source>
        <translation>隠れ層のサイズ（ニューロン数）</translation>
    </message>
    <message>
        <source>activation of the hidden layers</source>
        <translation>隠れ層の活性化関数</translation>
    </message>
    <message>
        <source>initial weights: he, xavier or a standard deviation</source>
        <translation>重みの初期値：he、xavier または標準偏差</translation>
    </message>
    <message>
        <source>batch normalization after every hidden affine layer</source>
        <translation>隠れ層の各 Affine レイヤの後に Batch Normalization</translation>
    </message>
    <message>
        <source>dropout ratio after every hidden activation (0: none)</source>
        <translation>隠れ層の各活性化関数の後の Dropout の比率（0：使わない）</translation>
    </message>
    <message>
        <source>the network&apos;s L2 weight decay λ (the book&apos;s)</source>
        <translation>ネットワークの L2 Weight decay λ（本書の方式）</translation>
    </message>
    <message>
        <source>the update rule</source>
        <translation>パラメータの更新手法</translation>
    </message>
    <message>
        <source>the optimizer&apos;s hyperparameters by name</source>
        <translation>更新手法のハイパーパラメータ（名前ごと）</translation>
    </message>
    <message>
        <source>a learning-rate schedule</source>
        <translation>学習係数のスケジュール</translation>
    </message>
    <message>
        <source>samples per mini-batch</source>
        <translation>ミニバッチあたりのサンプル数</translation>
    </message>
    <message>
        <source>epochs to train</source>
        <translation>学習するエポック数</translation>
    </message>
    <message>
        <source>seed of the initial weights, dropout masks and batches</source>
        <translation>重みの初期値、Dropout のマスク、バッチを決めるシード</translation>
    </message>
    <message>
        <source>precision of the network</source>
        <translation>ネットワークの数値精度</translation>
    </message>
    <message>
        <source>training threads (default: trainlab&apos;s setting)</source>
        <translation>学習のスレッド数（既定：trainlab の設定）</translation>
    </message>
    <message>
        <source>evaluate accuracy on only N samples per epoch</source>
        <translation>エポックごとに N 個のサンプルだけで認識精度を評価します</translation>
    </message>
    <message>
        <source>hyperparameter changes made while training, replayed</source>
        <translation>学習中に変えたハイパーパラメータ（再実行で再現されます）</translation>
    </message>
</context>
<context>
    <name>RunsPanel</name>
    <message>
        <source>created</source>
        <translation>作成済み</translation>
    </message>
    <message>
        <source>running</source>
        <translation>実行中</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>一時停止中</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>完了</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>中止</translation>
    </message>
    <message>
        <source>diverged</source>
        <translation>発散</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <source>{status}, {steps} steps</source>
        <translation>{status}、{steps} ステップ</translation>
    </message>
    <message>
        <source>, final test acc {accuracy}</source>
        <translation>、最終テスト精度 {accuracy}</translation>
    </message>
    <message>
        <source>, test acc {accuracy} (epoch {epoch})</source>
        <translation>、テスト精度 {accuracy}（エポック {epoch}）</translation>
    </message>
    <message>
        <source>run</source>
        <translation>実行</translation>
    </message>
    <message>
        <source>status</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>steps</source>
        <translation>ステップ</translation>
    </message>
    <message>
        <source>test acc</source>
        <translation>テスト精度</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>削除</translation>
    </message>
    <message>
        <source>Replay</source>
        <translation>再実行</translation>
    </message>
    <message>
        <source>Edit settings</source>
        <translation>設定を編集</translation>
    </message>
    <message>
        <source>train the selected run again exactly, with the hyperparameter changes made while it trained</source>
        <translation>選んだ実行を、学習中に変えたハイパーパラメータも含めてそのまま再び学習します</translation>
    </message>
    <message>
        <source>put the selected run&apos;s settings into the form</source>
        <translation>選んだ実行の設定をフォームに入れます</translation>
    </message>
    <message>
        <source>final test acc</source>
        <translation>最終テスト精度</translation>
    </message>
</context>
<context>
    <name>SearchView</name>
    <message>
        <source>random</source>
        <translation>ランダム</translation>
    </message>
    <message>
        <source>staged</source>
        <translation>段階的</translation>
    </message>
    <message>
        <source>bayes</source>
        <translation>ベイズ</translation>
    </message>
    <message>
        <source>tpe</source>
        <translation>TPE</translation>
    </message>
    <message>
        <source>gp</source>
        <translation>ガウス過程</translation>
    </message>
    <message>
        <source>median</source>
        <translation>中央値</translation>
    </message>
    <message>
        <source>successive_halving</source>
        <translation>Successive Halving</translation>
    </message>
    <message>
        <source>hyperband</source>
        <translation>Hyperband</translation>
    </message>
    <message>
        <source>lr</source>
        <translation>学習係数</translation>
    </message>
    <message>
        <source>weight_decay</source>
        <translation>Weight decay</translation>
    </message>
    <message>
        <source>the study&apos;s SQLite file (an existing one is shown, and a search started on it resumes it)</source>
        <translation>探索の記録の SQLite ファイル（既存のものは表示し、そこで開始した探索は続きから進めます）</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>開く</translation>
    </message>
    <message>
        <source>choose the store file</source>
        <translation>保存ファイルを選びます</translation>
    </message>
    <message>
        <source>store</source>
        <translation>保存ファイル</translation>
    </message>
    <message>
        <source>no pruning</source>
        <translation>枝刈りなし</translation>
    </message>
    <message>
        <source>Start search</source>
        <translation>探索を開始</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>trials</source>
        <translation>試行回数</translation>
    </message>
    <message>
        <source>epochs</source>
        <translation>エポック数</translation>
    </message>
    <message>
        <source>train samples</source>
        <translation>訓練データ数</translation>
    </message>
    <message>
        <source>strategy</source>
        <translation>探索手法</translation>
    </message>
    <message>
        <source>no store open</source>
        <translation>保存ファイルが開かれていません</translation>
    </message>
    <message>
        <source>each trial: lr and weight decay</source>
        <translation>試行ごとの学習係数と Weight decay</translation>
    </message>
    <message>
        <source>learning rate (log)</source>
        <translation>学習係数（対数）</translation>
    </message>
    <message>
        <source>weight decay λ (log)</source>
        <translation>Weight decay λ（対数）</translation>
    </message>
    <message>
        <source>best so far (line), each trial (dots)</source>
        <translation>これまでの最良（線）、各試行（点）</translation>
    </message>
    <message>
        <source>trial</source>
        <translation>試行</translation>
    </message>
    <message>
        <source>top {n} trials</source>
        <translation>上位 {n} 試行</translation>
    </message>
    <message>
        <source>parallel coordinates (colour: validation accuracy)</source>
        <translation>平行座標（色：検証データの認識精度）</translation>
    </message>
    <message>
        <source>Search store</source>
        <translation>探索の保存ファイル</translation>
    </message>
    <message>
        <source>waiting for {path}</source>
        <translation>{path} を待っています</translation>
    </message>
    <message>
        <source>search running…</source>
        <translation>探索中…</translation>
    </message>
    <message>
        <source>search failed: {error}</source>
        <translation>探索に失敗しました：{error}</translation>
    </message>
    <message>
        <source>val acc</source>
        <translation>検証精度</translation>
    </message>
    <message>
        <source>{n} trials in {path}</source>
        <translation>{path} の試行 {n} 回</translation>
    </message>
    <message>
        <source>; best #{trial} val acc {accuracy:.4f}</source>
        <translation>；最良：#{trial} 検証精度 {accuracy:.4f}</translation>
    </message>
    <message>
        <source>validation accuracy</source>
        <translation>検証データの認識精度</translation>
    </message>
    <message>
        <source>state</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>秒</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <source>a run is already training; stop it first</source>
        <translation>すでに学習中の実行があります。先に停止してください</translation>
    </message>
    <message>
        <source>no run is training</source>
        <translation>学習中の実行はありません</translation>
    </message>
    <message>
        <source>stop the run before removing it</source>
        <translation>削除する前に実行を停止してください</translation>
    </message>
    <message>
        <source>not changed: {reason}</source>
        <translation>変更されませんでした：{reason}</translation>
    </message>
    <message>
        <source>{changes} from step {step}</source>
        <translation>ステップ {step} から {changes}</translation>
    </message>
</context>
<context>
    <name>TrainingProcess</name>
    <message>
        <source>training process died: signal {signal}</source>
        <translation>学習プロセスが終了しました：シグナル {signal}</translation>
    </message>
    <message>
        <source>training process exited with code {code} before the run ended</source>
        <translation>学習が終わる前に学習プロセスがコード {code} で終了しました</translation>
    </message>
</context>
<context>
    <name>experiments</name>
    <message>
        <source>test acc: {accuracies}</source>
        <translation>テスト精度：{accuracies}</translation>
    </message>
    <message>
        <source>last-layer activation std: {stds}</source>
        <translation>最後の層のアクティベーションの標準偏差：{stds}</translation>
    </message>
    <message>
        <source>activation distributions of 5 layers for sigmoid/tanh/ReLU and std 1, 0.01, Xavier, He; equal-weights symmetry demo (book figs. 6-10 to 6-14)</source>
        <translation>sigmoid/tanh/ReLU と標準偏差 1、0.01、Xavier、He の初期値での5層のアクティベーション分布、重みをすべて同じにしたときの対称性のデモ（本書の図6-10〜6-14）</translation>
    </message>
    <message>
        <source>sigmoid, tanh, relu (comma-separated)</source>
        <translation>sigmoid、tanh、relu（カンマ区切り）</translation>
    </message>
    <message>
        <source>stds or xavier/he (comma-separated)</source>
        <translation>標準偏差または xavier/he（カンマ区切り）</translation>
    </message>
    <message>
        <source>layers (book: 5)</source>
        <translation>層の数（本書：5）</translation>
    </message>
    <message>
        <source>nodes per layer (book: 100)</source>
        <translation>層ごとのノード数（本書：100）</translation>
    </message>
    <message>
        <source>random inputs (book: 1000)</source>
        <translation>ランダムな入力データの数（本書：1000）</translation>
    </message>
    <message>
        <source>histogram bins (book: 30)</source>
        <translation>ヒストグラムのビン数（本書：30）</translation>
    </message>
    <message>
        <source>SGD steps of the equal-weights demo (0 skips it)</source>
        <translation>重みがすべて同じ場合のデモでの SGD の更新回数（0 なら省略）</translation>
    </message>
    <message>
        <source>batch norm ahead at {wins} of {scales} weight scales</source>
        <translation>重みのスケール {scales} 通りのうち {wins} 通りで Batch Norm が上回る</translation>
    </message>
    <message>
        <source>train accuracy with vs without batch normalization over 16 initial weight scales (book fig. 6-19); the layer&apos;s backward pass step by step: the Batch-norm graph view, trainlab.explain.batchnorm_graph</source>
        <translation>重みの初期値の16通りのスケールで、Batch Normalization を使う場合と使わない場合の訓練データの認識精度（本書の図6-19）。このレイヤの逆伝播を1ステップずつ見るには「Batch Normの計算グラフ」ビュー、trainlab.explain.batchnorm_graph</translation>
    </message>
    <message>
        <source>number of weight scales (book: 16)</source>
        <translation>重みのスケールの数（本書：16）</translation>
    </message>
    <message>
        <source>largest weight std (book: 1)</source>
        <translation>重みの標準偏差の最大値（本書：1）</translation>
    </message>
    <message>
        <source>smallest (book: 1e-4)</source>
        <translation>最小値（本書：1e-4）</translation>
    </message>
    <message>
        <source>training samples (book: 1000)</source>
        <translation>訓練データ数（本書：1000）</translation>
    </message>
    <message>
        <source>epochs (book: 20)</source>
        <translation>エポック数（本書：20）</translation>
    </message>
    <message>
        <source>mini-batch size (book: 100)</source>
        <translation>ミニバッチのサイズ（本書：100）</translation>
    </message>
    <message>
        <source>hidden layer sizes (book: 100,100,100,100,100)</source>
        <translation>隠れ層のサイズ（本書：100,100,100,100,100）</translation>
    </message>
    <message>
        <source>optimizer (book: sgd)</source>
        <translation>更新手法（本書：sgd）</translation>
    </message>
    <message>
        <source>learning rate (book: 0.01)</source>
        <translation>学習係数（本書：0.01）</translation>
    </message>
    <message>
        <source>loss curves of SGD, Momentum, AdaGrad, Adam on one network and the same batches (book fig. 6-9)</source>
        <translation>1つのネットワークと同じバッチで見た SGD、Momentum、AdaGrad、Adam の損失の推移（本書の図6-9）</translation>
    </message>
    <message>
        <source>which optimizers (comma-separated); all six are available</source>
        <translation>使う更新手法（カンマ区切り、6つすべて使えます）</translation>
    </message>
    <message>
        <source>learning rate for all, or per optimizer: sgd=0.1,adam=0.002 (book: 0.01, Adam 0.001)</source>
        <translation>すべてに共通の学習係数、または更新手法ごとの学習係数：sgd=0.1,adam=0.002（本書：0.01、Adam は 0.001）</translation>
    </message>
    <message>
        <source>mini-batch steps (book: 2000)</source>
        <translation>ミニバッチの学習回数（本書：2000）</translation>
    </message>
    <message>
        <source>mini-batch size (book: 128)</source>
        <translation>ミニバッチのサイズ（本書：128）</translation>
    </message>
    <message>
        <source>hidden layer sizes (book: 100,100,100,100)</source>
        <translation>隠れ層のサイズ（本書：100,100,100,100）</translation>
    </message>
    <message>
        <source>trainlab, or reference (the book&apos;s NumPy code, float64)</source>
        <translation>trainlab または reference（本書の NumPy のコード、float64）</translation>
    </message>
    <message>
        <source>std 0.01 vs Xavier vs He initial weights on a 5-layer ReLU network (book fig. 6-15)</source>
        <translation>ReLU を使う5層のネットワークでの重みの初期値の比較：標準偏差 0.01、Xavier、He（本書の図6-15）</translation>
    </message>
    <message>
        <source>initialisations: he, xavier or a std (comma-separated)</source>
        <translation>初期値：he、xavier または標準偏差（カンマ区切り）</translation>
    </message>
    <message>
        <source>relu, sigmoid or tanh</source>
        <translation>relu、sigmoid または tanh</translation>
    </message>
    <message>
        <source>optimizer name (book: sgd)</source>
        <translation>更新手法の名前（本書：sgd）</translation>
    </message>
    <message>
        <source>ensemble of {n}: {ensemble:.4f} vs mean member {mean:.4f} (best {best:.4f})</source>
        <translation>{n} 個のアンサンブル：{ensemble:.4f}、個々のモデルの平均 {mean:.4f}（最良 {best:.4f}）</translation>
    </message>
    <message>
        <source>N independently trained networks: averaged outputs vs each member&apos;s test accuracy</source>
        <translation>個別に学習させた N 個のネットワーク：出力の平均と各モデルのテストデータの認識精度の比較</translation>
    </message>
    <message>
        <source>networks in the ensemble</source>
        <translation>アンサンブルのネットワーク数</translation>
    </message>
    <message>
        <source>mini-batch steps per member</source>
        <translation>モデルごとのミニバッチの学習回数</translation>
    </message>
    <message>
        <source>mini-batch size</source>
        <translation>ミニバッチのサイズ</translation>
    </message>
    <message>
        <source>hidden layer sizes</source>
        <translation>隠れ層のサイズ</translation>
    </message>
    <message>
        <source>optimizer</source>
        <translation>更新手法</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>学習係数</translation>
    </message>
    <message>
        <source>training samples (default: all)</source>
        <translation>訓練データ数（既定：すべて）</translation>
    </message>
    <message>
        <source>test samples (default: all)</source>
        <translation>テストデータ数（既定：すべて）</translation>
    </message>
    <message>
        <source>best val acc {accuracy:.3f} (trial {trial}: {params})</source>
        <translation>最良の検証精度 {accuracy:.3f}（試行 {trial}：{params}）</translation>
    </message>
    <message>
        <source>all {n} trials failed: {error} ({count} trials)</source>
        <translation>{n} 回の試行がすべて失敗：{error}（{count} 回）</translation>
    </message>
    <message>
        <source>random / staged / Bayesian search of lr and weight decay on a validation split (book fig. 6-24)</source>
        <translation>検証データで学習係数と Weight decay をランダム／段階的／ベイズ探索（本書の図6-24）</translation>
    </message>
    <message>
        <source>random, staged, tpe or gp (Bayesian, Optuna), bayes (gp with PyTorch, else tpe)</source>
        <translation>random、staged、tpe または gp（ベイズ最適化、Optuna）、bayes（PyTorch があれば gp、なければ tpe）</translation>
    </message>
    <message>
        <source>trials in the study (book: 100)</source>
        <translation>試行回数（本書：100）</translation>
    </message>
    <message>
        <source>epochs per trial (book: 50)</source>
        <translation>試行ごとのエポック数（本書：50）</translation>
    </message>
    <message>
        <source>training samples used, validation included (book: 500)</source>
        <translation>使う訓練データの数、検証データを含む（本書：500）</translation>
    </message>
    <message>
        <source>fraction of them held out for validation (book: 0.2)</source>
        <translation>そのうち検証データに分ける割合（本書：0.2）</translation>
    </message>
    <message>
        <source>log-uniform learning rate range low,high (book: 1e-6,1e-2)</source>
        <translation>対数スケールで一様に選ぶ学習係数の範囲 low,high（本書：1e-6,1e-2）</translation>
    </message>
    <message>
        <source>log-uniform weight decay range (book: 1e-8,1e-4)</source>
        <translation>対数スケールで一様に選ぶ Weight decay の範囲（本書：1e-8,1e-4）</translation>
    </message>
    <message>
        <source>hidden layer sizes, one size repeated (book: 100 x 6)</source>
        <translation>隠れ層のサイズ、1つのサイズの繰り返し（本書：100 x 6）</translation>
    </message>
    <message>
        <source>optimizer of every trial (book: sgd)</source>
        <translation>すべての試行の更新手法（本書：sgd）</translation>
    </message>
    <message>
        <source>none, median (stop trials below the median curve), successive_halving or hyperband (Optuna&apos;s: only the best 1/3 pass rungs at epochs/9, epochs/3)</source>
        <translation>none、median（中央値の曲線を下回る試行を打ち切る）、successive_halving または hyperband（Optuna の方式：エポック数/9、エポック数/3 の時点で上位 1/3 だけが進む）</translation>
    </message>
    <message>
        <source>SQLite file of the study; an existing one is resumed</source>
        <translation>探索の記録の SQLite ファイル（既存のものは続きから）</translation>
    </message>
    <message>
        <source>worker processes (default: all cores)</source>
        <translation>ワーカープロセス数（既定：すべてのコア）</translation>
    </message>
    <message>
        <source>Dask scheduler address, e.g. tcp://host:8786</source>
        <translation>Dask スケジューラのアドレス（例：tcp://host:8786）</translation>
    </message>
    <message>
        <source>validation curves kept for the best trials (book: 20)</source>
        <translation>検証の曲線を残す上位の試行数（本書：20）</translation>
    </message>
    <message>
        <source>final f: {values}</source>
        <translation>最終的な f：{values}</translation>
    </message>
    <message>
        <source>paths of the six optimizers on f(x, y) = x²/20 + y² from (−7, 2) (book fig. 6-8)</source>
        <translation>f(x, y) = x²/20 + y² 上で (−7, 2) から始めた6つの更新手法の経路（本書の図6-8）</translation>
    </message>
    <message>
        <source>which optimizers (comma-separated)</source>
        <translation>使う更新手法（カンマ区切り）</translation>
    </message>
    <message>
        <source>learning rate for all, or per optimizer: sgd=0.9,adam=0.2 (default: the book&apos;s per optimizer)</source>
        <translation>すべてに共通の学習係数、または更新手法ごとの学習係数：sgd=0.9,adam=0.2（既定：更新手法ごとの本書の値）</translation>
    </message>
    <message>
        <source>update steps per optimizer (book: 30)</source>
        <translation>更新手法ごとの更新回数（本書：30）</translation>
    </message>
    <message>
        <source>start point x,y</source>
        <translation>開始点 x,y</translation>
    </message>
    <message>
        <source>train/test gap: {gaps}</source>
        <translation>訓練とテストの認識精度の差：{gaps}</translation>
    </message>
    <message>
        <source>300 training samples overfit; weight decay and dropout narrow the train/test gap (book figs. 6-20, 6-21, 6-23)</source>
        <translation>訓練データ300個で起こした過学習を Weight decay と Dropout で抑え、訓練とテストの認識精度の差を縮める（本書の図6-20、6-21、6-23）</translation>
    </message>
    <message>
        <source>training samples (book: 300)</source>
        <translation>訓練データ数（本書：300）</translation>
    </message>
    <message>
        <source>test samples evaluated each epoch (default: all)</source>
        <translation>エポックごとに評価するテストデータ数（既定：すべて）</translation>
    </message>
    <message>
        <source>epochs (book: 200 / 300)</source>
        <translation>エポック数（本書：200／300）</translation>
    </message>
    <message>
        <source>hidden layer sizes (book: 100 x 6)</source>
        <translation>隠れ層のサイズ（本書：100 x 6）</translation>
    </message>
    <message>
        <source>L2 λ (book: 0.1; 0 drops the variant)</source>
        <translation>L2 の Weight decay λ（本書：0.1、0 ならこの条件は省きます）</translation>
    </message>
    <message>
        <source>dropout ratios, one variant each (book: 0.2)</source>
        <translation>Dropout の比率、比率ごとに1条件（本書：0.2）</translation>
    </message>
</context>
<context>
    <name>explain</name>
    <message>
        <source>input</source>
        <translation>入力</translation>
    </message>
    <message>
        <source>scale</source>
        <translation>スケール</translation>
    </message>
    <message>
        <source>shift</source>
        <translation>シフト</translation>
    </message>
    <message>
        <source>mean over the batch</source>
        <translation>バッチ全体の平均</translation>
    </message>
    <message>
        <source>elementwise</source>
        <translation>要素ごと</translation>
    </message>
    <message>
        <source>summed over the N rows</source>
        <translation>N 行にわたって合計</translation>
    </message>
    <message>
        <source>the same for every row</source>
        <translation>すべての行に同じ値</translation>
    </message>
    <message>
        <source>{gradient} (from the loss)</source>
        <translation>{gradient}（損失から）</translation>
    </message>
    <message>
        <source>({got} of {total} paths)</source>
        <translation>（{total} 経路のうち {got}）</translation>
    </message>
    <message>
        <source>Forward pass: every node shows its value. The gradient dout arrives at out from the layer above; step backward to follow it down the graph.</source>
        <translation>順伝播：各ノードにその値を示します。勾配 dout は上のレイヤから out に届きます。逆伝播を1ステップずつ進めて、グラフをたどってください。</translation>
    </message>
    <message>
        <source>Backward pass done: {check}</source>
        <translation>逆伝播が完了しました：{check}</translation>
    </message>
    <message>
        <source>upstream</source>
        <translation>上流</translation>
    </message>
    <message>
        <source>local</source>
        <translation>局所的な微分</translation>
    </message>
    <message>
        <source>Step {stage} of {steps}, at {node}: the upstream gradient times each local gradient goes to {targets}.</source>
        <translation>ステップ {stage}/{steps}、{node}：上流からの勾配に各局所的な微分を掛けた値が {targets} に伝わります。</translation>
    </message>
    <message>
        <source> and </source>
        <translation> と </translation>
    </message>
    <message>
        <source>dx, dγ, dβ equal the compiled kernel&apos;s result (largest difference {diff})</source>
        <translation>dx、dγ、dβ はコンパイル済みカーネルの結果と一致し（最大の差 {diff}）</translation>
    </message>
    <message>
        <source>dx, dγ, dβ DIFFER FROM the compiled kernel&apos;s result (largest difference {diff})</source>
        <translation>dx、dγ、dβ はコンパイル済みカーネルの結果と一致せず（最大の差 {diff}）</translation>
    </message>
    <message>
        <source>equal the numerical gradient by central differences in float64 (largest difference {diff})</source>
        <translation>float64 での中心差分による数値微分で求めた勾配と一致します（最大の差 {diff}）</translation>
    </message>
    <message>
        <source>DIFFER FROM the numerical gradient by central differences in float64 (largest difference {diff})</source>
        <translation>float64 での中心差分による数値微分で求めた勾配と一致しません（最大の差 {diff}）</translation>
    </message>
    <message>
        <source>{kernel} and {numerical}.</source>
        <translation>{kernel}、{numerical}。</translation>
    </message>
</context>
<context>
    <name>figures</name>
    <message>
        <source>loss (cross-entropy)</source>
        <translation>損失（交差エントロピー誤差）</translation>
    </message>
    <message>
        <source>iterations (mini-batches)</source>
        <translation>繰り返し回数（ミニバッチ）</translation>
    </message>
    <message>
        <source>epochs (0: before training)</source>
        <translation>エポック（0：学習前）</translation>
    </message>
    <message>
        <source>accuracy (0–1)</source>
        <translation>認識精度（0–1）</translation>
    </message>
    <message>
        <source>train accuracy (0–1)</source>
        <translation>訓練データの認識精度（0–1）</translation>
    </message>
    <message>
        <source>test accuracy (0–1)</source>
        <translation>テストデータの認識精度（0–1）</translation>
    </message>
    <message>
        <source>validation accuracy (0–1)</source>
        <translation>検証データの認識精度（0–1）</translation>
    </message>
    <message>
        <source>train (solid)</source>
        <translation>訓練（実線）</translation>
    </message>
    <message>
        <source>test (dashed)</source>
        <translation>テスト（破線）</translation>
    </message>
    <message>
        <source>one panel each</source>
        <translation>個別に表示</translation>
    </message>
    <message>
        <source>overlaid</source>
        <translation>重ねて表示</translation>
    </message>
    <message>
        <source>training loss (faded: per mini-batch; line: the book&apos;s smooth_curve)</source>
        <translation>訓練の損失（薄い線：ミニバッチごと、濃い線：本書の smooth_curve）</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>損失</translation>
    </message>
    <message>
        <source>{init} · {k}-layer</source>
        <translation>{init} · {k}層目</translation>
    </message>
    <message>
        <source>{activation} output</source>
        <translation>{activation} の出力</translation>
    </message>
    <message>
        <source>count (activations per bin)</source>
        <translation>度数（ビンごとのアクティベーション数）</translation>
    </message>
    <message>
        <source>weight std {scale}</source>
        <translation>重みの標準偏差 {scale}</translation>
    </message>
    <message>
        <source>Batch Normalization</source>
        <translation>Batch Normalization</translation>
    </message>
    <message>
        <source>Normal (without BN)</source>
        <translation>Normal（Batch Norm なし）</translation>
    </message>
    <message>
        <source>{title} (Normal diverged)</source>
        <translation>{title}（Normal は発散）</translation>
    </message>
    <message>
        <source>train accuracy</source>
        <translation>訓練データの認識精度</translation>
    </message>
    <message>
        <source>weight decay λ = {value}</source>
        <translation>Weight decay λ = {value}</translation>
    </message>
    <message>
        <source>dropout ratio {value}</source>
        <translation>Dropout の比率 {value}</translation>
    </message>
    <message>
        <source>baseline</source>
        <translation>抑制なし</translation>
    </message>
    <message>
        <source>loss (cross-entropy + λ/2·ΣW²)</source>
        <translation>損失（交差エントロピー誤差 + λ/2·ΣW²）</translation>
    </message>
    <message>
        <source>{variant}: training loss</source>
        <translation>{variant}：訓練の損失</translation>
    </message>
    <message>
        <source>accuracy and loss</source>
        <translation>認識精度と損失</translation>
    </message>
    <message>
        <source>member {k}</source>
        <translation>モデル {k}</translation>
    </message>
    <message>
        <source>training loss of each member</source>
        <translation>各モデルの訓練の損失</translation>
    </message>
    <message>
        <source>each member alone</source>
        <translation>個々のモデル</translation>
    </message>
    <message>
        <source>average of members 1..K</source>
        <translation>モデル 1..K の平均</translation>
    </message>
    <message>
        <source>test accuracy</source>
        <translation>テストデータの認識精度</translation>
    </message>
    <message>
        <source>members K</source>
        <translation>モデル数 K</translation>
    </message>
    <message>
        <source>best validation accuracy so far</source>
        <translation>これまでの最良の認識精度（検証データ）</translation>
    </message>
    <message>
        <source>trials finished</source>
        <translation>終了した試行数</translation>
    </message>
    <message>
        <source>best so far</source>
        <translation>これまでの最良</translation>
    </message>
    <message>
        <source>every trial: its learning rate and validation accuracy</source>
        <translation>各試行の学習係数と認識精度（検証データ）</translation>
    </message>
    <message>
        <source>learning rate (log scale)</source>
        <translation>学習係数（対数スケール）</translation>
    </message>
    <message>
        <source>one trial</source>
        <translation>1回の試行</translation>
    </message>
    <message>
        <source>Best-{rank}: trial {trial}</source>
        <translation>Best-{rank}：試行 {trial}</translation>
    </message>
    <message>
        <source>epochs</source>
        <translation>エポック</translation>
    </message>
    <message>
        <source>validation accuracy</source>
        <translation>検証データの認識精度</translation>
    </message>
    <message>
        <source>overview</source>
        <translation>概要</translation>
    </message>
    <message>
        <source>best trials</source>
        <translation>上位の試行</translation>
    </message>
</context>
<context>
    <name>form</name>
    <message>
        <source>name</source>
        <translation>名前</translation>
    </message>
    <message>
        <source>dataset</source>
        <translation>データセット</translation>
    </message>
    <message>
        <source>train size</source>
        <translation>訓練データ数</translation>
    </message>
    <message>
        <source>test size</source>
        <translation>テストデータ数</translation>
    </message>
    <message>
        <source>hidden</source>
        <translation>隠れ層</translation>
    </message>
    <message>
        <source>activation</source>
        <translation>活性化関数</translation>
    </message>
    <message>
        <source>weight init</source>
        <translation>重みの初期値</translation>
    </message>
    <message>
        <source>batch norm</source>
        <translation>Batch Norm</translation>
    </message>
    <message>
        <source>dropout</source>
        <translation>Dropout</translation>
    </message>
    <message>
        <source>weight decay λ</source>
        <translation>Weight decay λ</translation>
    </message>
    <message>
        <source>optimizer</source>
        <translation>更新手法</translation>
    </message>
    <message>
        <source>lr schedule</source>
        <translation>学習係数のスケジュール</translation>
    </message>
    <message>
        <source>batch size</source>
        <translation>バッチサイズ</translation>
    </message>
    <message>
        <source>epochs</source>
        <translation>エポック数</translation>
    </message>
    <message>
        <source>seed</source>
        <translation>シード</translation>
    </message>
    <message>
        <source>precision</source>
        <translation>数値精度</translation>
    </message>
    <message>
        <source>threads</source>
        <translation>スレッド数</translation>
    </message>
    <message>
        <source>eval samples</source>
        <translation>評価サンプル数</translation>
    </message>
    <message>
        <source>changes</source>
        <translation>学習中の変更</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>学習係数</translation>
    </message>
    <message>
        <source>momentum</source>
        <translation>モーメンタム</translation>
    </message>
    <message>
        <source>decay rate</source>
        <translation>減衰率</translation>
    </message>
    <message>
        <source>beta1</source>
        <translation>β1</translation>
    </message>
    <message>
        <source>beta2</source>
        <translation>β2</translation>
    </message>
    <message>
        <source>step size</source>
        <translation>減衰の間隔</translation>
    </message>
    <message>
        <source>gamma</source>
        <translation>減衰係数 γ</translation>
    </message>
    <message>
        <source>total steps</source>
        <translation>総ステップ数</translation>
    </message>
    <message>
        <source>min lr</source>
        <translation>最小の学習係数</translation>
    </message>
    <message>
        <source>default</source>
        <translation>既定</translation>
    </message>
    <message>
        <source>sample</source>
        <translation>サンプル</translation>
    </message>
    <message>
        <source>none</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>constant</source>
        <translation>一定</translation>
    </message>
    <message>
        <source>step</source>
        <translation>ステップ減衰</translation>
    </message>
    <message>
        <source>exponential</source>
        <translation>指数減衰</translation>
    </message>
    <message>
        <source>cosine</source>
        <translation>コサイン減衰</translation>
    </message>
    <message>
        <source>all</source>
        <translation>すべて</translation>
    </message>
</context>
<context>
    <name>naming</name>
    <message>
        <source>all</source>
        <translation>すべて</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>はい</translation>
    </message>
    <message>
        <source>no</source>
        <translation>いいえ</translation>
    </message>
    <message>
        <source>none</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>default</source>
        <translation>既定</translation>
    </message>
    <message>
        <source>{change} at step {step}</source>
        <translation>ステップ {step} で {change}</translation>
    </message>
</context>
<context>
    <name>probes</name>
    <message>
        <source>activations</source>
        <translation>アクティベーション</translation>
    </message>
    <message>
        <source>weights W</source>
        <translation>重み W</translation>
    </message>
</context>
<context>
    <name>search</name>
    <message>
        <source>{n} trials ({complete} complete, {pruned} pruned, {diverged} diverged, {failed} failed)</source>
        <translation>試行 {n} 回（完了 {complete}、枝刈り {pruned}、発散 {diverged}、失敗 {failed}）</translation>
    </message>
    <message>
        <source>; {failed} failed; {cause} ({count} trials)</source>
        <translation>；失敗 {failed} 回：{cause}（試行 {count} 回）</translation>
    </message>
    <message>
        <source>, and {n} other errors</source>
        <translation>、ほかに {n} 種類のエラー</translation>
    </message>
    <message>
        <source>; best: trial {trial}, val acc {accuracy:.4f} | {params}</source>
        <translation>；最良：試行 {trial}、検証精度 {accuracy:.4f} | {params}</translation>
    </message>
</context>
<context>
    <name>views</name>
    <message>
        <source>Batch-norm graph</source>
        <translation>Batch Normの計算グラフ</translation>
    </message>
    <message>
        <source>Curves</source>
        <translation>学習曲線</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>損失</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>認識精度</translation>
    </message>
    <message>
        <source>Experiments</source>
        <translation>実験</translation>
    </message>
    <message>
        <source>Histograms</source>
        <translation>ヒストグラム</translation>
    </message>
    <message>
        <source>Optimizer paths</source>
        <translation>更新手法ごとの経路</translation>
    </message>
    <message>
        <source>paths</source>
        <translation>経路</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>探索</translation>
    </message>
    <message>
        <source>lr vs weight decay</source>
        <translation>学習係数と Weight decay</translation>
    </message>
    <message>
        <source>best so far</source>
        <translation>これまでの最良</translation>
    </message>
    <message>
        <source>top trials</source>
        <translation>上位の試行</translation>
    </message>
</context>
</TS>
