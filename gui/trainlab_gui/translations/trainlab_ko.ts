<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
<context>
    <name>BatchNormGraphView</name>
    <message>
        <source>ε under the square root (the book&apos;s 1e-6)</source>
        <translation>제곱근 안의 ε (책에서는 1e-6)</translation>
    </message>
    <message>
        <source>New example batch</source>
        <translation>새 예제 배치</translation>
    </message>
    <message>
        <source>◀◀ Forward values</source>
        <translation>◀◀ 순전파 값</translation>
    </message>
    <message>
        <source>◀ Back</source>
        <translation>◀ 이전</translation>
    </message>
    <message>
        <source>Step backward ▶</source>
        <translation>역전파 한 단계 ▶</translation>
    </message>
    <message>
        <source>To the end ▶▶</source>
        <translation>끝까지 ▶▶</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>전체 보기</translation>
    </message>
    <message>
        <source>the whole graph in view (the wheel zooms, dragging pans)</source>
        <translation>그래프 전체를 보여 줍니다 (휠로 확대·축소, 드래그로 이동)</translation>
    </message>
    <message>
        <source>batch x (N × D)</source>
        <translation>배치 x (N × D)</translation>
    </message>
    <message>
        <source>upstream gradient dout</source>
        <translation>상류에서 전해진 기울기 dout</translation>
    </message>
    <message>
        <source>scale γ, shift β</source>
        <translation>확대 γ, 이동 β</translation>
    </message>
    <message>
        <source>{table} row {row}, column {column}: {text} is not a finite number</source>
        <translation>{table}의 {row}행 {column}열: {text}은(는) 유한한 수가 아닙니다</translation>
    </message>
    <message>
        <source> (and {n} more)</source>
        <translation> (외 {n}개)</translation>
    </message>
    <message>
        <source>ε: {text} is not a positive finite number</source>
        <translation>ε: {text}은(는) 양의 유한한 수가 아닙니다</translation>
    </message>
    <message>
        <source>forward</source>
        <translation>순전파</translation>
    </message>
    <message>
        <source>done</source>
        <translation>완료</translation>
    </message>
    <message>
        <source>step {stage} of {steps}</source>
        <translation>{steps}단계 중 {stage}단계</translation>
    </message>
    <message>
        <source>Input not used: {error}</source>
        <translation>입력을 사용하지 않음: {error}</translation>
    </message>
</context>
<context>
    <name>CurvesView</name>
    <message>
        <source>EMA (debiased)</source>
        <translation>EMA (편향 보정)</translation>
    </message>
    <message>
        <source>moving average</source>
        <translation>이동 평균</translation>
    </message>
    <message>
        <source>none</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>raw</source>
        <translation>원본</translation>
    </message>
    <message>
        <source>log x</source>
        <translation>로그 x</translation>
    </message>
    <message>
        <source>log y</source>
        <translation>로그 y</translation>
    </message>
    <message>
        <source>smoothing</source>
        <translation>평활화</translation>
    </message>
    <message>
        <source>window</source>
        <translation>구간</translation>
    </message>
    <message>
        <source>training loss per mini-batch (faded: raw, line: smoothed)</source>
        <translation>미니배치별 훈련 손실 (흐린 선: 원본, 진한 선: 평활화)</translation>
    </message>
    <message>
        <source>accuracy per epoch (solid: train, dashed: test)</source>
        <translation>에폭별 정확도 (실선: 훈련, 점선: 시험)</translation>
    </message>
</context>
<context>
    <name>Editor</name>
    <message>
        <source>automatic: what sets it apart</source>
        <translation>자동: 다른 실행과 다른 설정으로</translation>
    </message>
    <message>
        <source>{label} must be comma-separated integers, got {text}</source>
        <translation>{label}은(는) 쉼표로 구분한 정수여야 합니다. 입력값: {text}</translation>
    </message>
</context>
<context>
    <name>ExperimentWorker</name>
    <message>
        <source>phase</source>
        <translation>단계</translation>
    </message>
    <message>
        <source>trial</source>
        <translation>시행</translation>
    </message>
    <message>
        <source>state</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>val_acc</source>
        <translation>검증 정확도</translation>
    </message>
    <message>
        <source>complete</source>
        <translation>완료</translation>
    </message>
    <message>
        <source>pruned</source>
        <translation>가지치기됨</translation>
    </message>
    <message>
        <source>diverged</source>
        <translation>발산</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>실패</translation>
    </message>
</context>
<context>
    <name>ExperimentsView</name>
    <message>
        <source>optimizer_paths</source>
        <translation>갱신 방법별 경로</translation>
    </message>
    <message>
        <source>compare_optimizers</source>
        <translation>갱신 방법 비교</translation>
    </message>
    <message>
        <source>compare_weight_init</source>
        <translation>가중치 초깃값 비교</translation>
    </message>
    <message>
        <source>activation_histograms</source>
        <translation>활성화값 분포</translation>
    </message>
    <message>
        <source>batchnorm_sweep</source>
        <translation>배치 정규화의 효과</translation>
    </message>
    <message>
        <source>overfitting</source>
        <translation>오버피팅 억제</translation>
    </message>
    <message>
        <source>ensemble</source>
        <translation>앙상블 학습</translation>
    </message>
    <message>
        <source>hyperparameter_search</source>
        <translation>하이퍼파라미터 최적화</translation>
    </message>
    <message>
        <source>optimizers</source>
        <translation>갱신 방법들</translation>
    </message>
    <message>
        <source>lr</source>
        <translation>학습률</translation>
    </message>
    <message>
        <source>steps</source>
        <translation>스텝 수</translation>
    </message>
    <message>
        <source>start</source>
        <translation>시작점</translation>
    </message>
    <message>
        <source>iterations</source>
        <translation>반복 횟수</translation>
    </message>
    <message>
        <source>batch_size</source>
        <translation>배치 크기</translation>
    </message>
    <message>
        <source>hidden</source>
        <translation>은닉층</translation>
    </message>
    <message>
        <source>backend</source>
        <translation>구현</translation>
    </message>
    <message>
        <source>weight_inits</source>
        <translation>가중치 초깃값들</translation>
    </message>
    <message>
        <source>activation</source>
        <translation>활성화 함수</translation>
    </message>
    <message>
        <source>optimizer</source>
        <translation>갱신 방법</translation>
    </message>
    <message>
        <source>activations</source>
        <translation>활성화 함수들</translation>
    </message>
    <message>
        <source>n_layers</source>
        <translation>층 수</translation>
    </message>
    <message>
        <source>n_nodes</source>
        <translation>노드 수</translation>
    </message>
    <message>
        <source>n_inputs</source>
        <translation>입력 수</translation>
    </message>
    <message>
        <source>bins</source>
        <translation>구간 수</translation>
    </message>
    <message>
        <source>symmetry_steps</source>
        <translation>대칭 데모 스텝 수</translation>
    </message>
    <message>
        <source>n_scales</source>
        <translation>스케일 수</translation>
    </message>
    <message>
        <source>scale_max</source>
        <translation>최대 표준편차</translation>
    </message>
    <message>
        <source>scale_min</source>
        <translation>최소 표준편차</translation>
    </message>
    <message>
        <source>train_size</source>
        <translation>훈련 데이터 수</translation>
    </message>
    <message>
        <source>epochs</source>
        <translation>에폭 수</translation>
    </message>
    <message>
        <source>test_size</source>
        <translation>시험 데이터 수</translation>
    </message>
    <message>
        <source>weight_decay</source>
        <translation>가중치 감소 λ</translation>
    </message>
    <message>
        <source>dropout_ratios</source>
        <translation>드롭아웃 비율들</translation>
    </message>
    <message>
        <source>members</source>
        <translation>모델 수</translation>
    </message>
    <message>
        <source>strategy</source>
        <translation>탐색 방법</translation>
    </message>
    <message>
        <source>n_trials</source>
        <translation>시행 횟수</translation>
    </message>
    <message>
        <source>val_rate</source>
        <translation>검증 데이터 비율</translation>
    </message>
    <message>
        <source>lr_range</source>
        <translation>학습률 범위</translation>
    </message>
    <message>
        <source>weight_decay_range</source>
        <translation>가중치 감소 범위</translation>
    </message>
    <message>
        <source>pruner</source>
        <translation>가지치기</translation>
    </message>
    <message>
        <source>store</source>
        <translation>저장 파일</translation>
    </message>
    <message>
        <source>n_workers</source>
        <translation>작업 프로세스 수</translation>
    </message>
    <message>
        <source>scheduler</source>
        <translation>Dask 스케줄러</translation>
    </message>
    <message>
        <source>top</source>
        <translation>상위 시행 수</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>완료</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>중지됨</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>실패</translation>
    </message>
    <message>
        <source>what the figure shows: the experiment&apos;s figures, one at a time</source>
        <translation>그림에 표시할 내용: 실험의 그림을 하나씩 보여 줍니다</translation>
    </message>
    <message>
        <source>zoom accuracy</source>
        <translation>정확도 확대</translation>
    </message>
    <message>
        <source>fit every accuracy axis to the data (together) instead of 0 to 1</source>
        <translation>정확도 축을 0~1 대신 데이터에 맞춥니다 (모든 축을 함께)</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>실행</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>정지</translation>
    </message>
    <message>
        <source>experiment</source>
        <translation>실험</translation>
    </message>
    <message>
        <source>dataset</source>
        <translation>데이터셋</translation>
    </message>
    <message>
        <source>show</source>
        <translation>보기</translation>
    </message>
    <message>
        <source>running {experiment}…</source>
        <translation>{experiment} 실행 중…</translation>
    </message>
    <message>
        <source>starting…</source>
        <translation>시작하는 중…</translation>
    </message>
    <message>
        <source>failed: {error}</source>
        <translation>실패: {error}</translation>
    </message>
    <message>
        <source>stopped early. </source>
        <translation>중간에 중지했습니다. </translation>
    </message>
    <message>
        <source>done. </source>
        <translation>완료. </translation>
    </message>
    <message>
        <source>panel {n}</source>
        <translation>패널 {n}</translation>
    </message>
</context>
<context>
    <name>HistogramView</name>
    <message>
        <source>activation value</source>
        <translation>활성화값</translation>
    </message>
    <message>
        <source>weight value</source>
        <translation>가중치 값</translation>
    </message>
    <message>
        <source>at initialisation</source>
        <translation>초깃값 (학습 전)</translation>
    </message>
    <message>
        <source>first snapshot (after step {step})</source>
        <translation>첫 스냅숏 ({step}스텝 후)</translation>
    </message>
    <message>
        <source>count</source>
        <translation>빈도</translation>
    </message>
    <message>
        <source>step</source>
        <translation>스텝</translation>
    </message>
    <message>
        <source>same range for all layers</source>
        <translation>모든 층에 같은 범위</translation>
    </message>
    <message>
        <source>one value axis for every layer, so their spreads compare</source>
        <translation>모든 층에 값 축 하나를 써서 분포의 퍼짐을 비교할 수 있게 합니다</translation>
    </message>
    <message>
        <source>run</source>
        <translation>실행</translation>
    </message>
    <message>
        <source>show</source>
        <translation>보기</translation>
    </message>
    <message>
        <source>latest run</source>
        <translation>최근 실행</translation>
    </message>
    <message>
        <source>now</source>
        <translation>현재</translation>
    </message>
    <message>
        <source>first snapshot</source>
        <translation>첫 스냅숏</translation>
    </message>
    <message>
        <source>beyond the range (count)</source>
        <translation>범위 밖 (개수)</translation>
    </message>
    <message>
        <source>layer {n}</source>
        <translation>{n}층</translation>
    </message>
    <message>
        <source>now (step {step})</source>
        <translation>현재 ({step}스텝)</translation>
    </message>
    <message>
        <source>count (log scale)</source>
        <translation>빈도 (로그 스케일)</translation>
    </message>
    <message>
        <source>histogram {n}</source>
        <translation>히스토그램 {n}</translation>
    </message>
    <message>
        <source>over time {n}</source>
        <translation>시간에 따른 분포 {n}</translation>
    </message>
</context>
<context>
    <name>Hyperparameter</name>
    <message>
        <source>learning rate</source>
        <translation>학습률</translation>
    </message>
    <message>
        <source>momentum coefficient</source>
        <translation>모멘텀 계수</translation>
    </message>
    <message>
        <source>decay of the running mean of g²</source>
        <translation>g² 이동 평균의 감쇠율</translation>
    </message>
    <message>
        <source>decay of the first moment</source>
        <translation>1차 모멘트의 감쇠율</translation>
    </message>
    <message>
        <source>decay of the second moment</source>
        <translation>2차 모멘트의 감쇠율</translation>
    </message>
    <message>
        <source>steps between two decays</source>
        <translation>감쇠와 감쇠 사이의 스텝 수</translation>
    </message>
    <message>
        <source>factor applied at each decay</source>
        <translation>감쇠할 때마다 곱하는 계수</translation>
    </message>
    <message>
        <source>factor applied at every step</source>
        <translation>스텝마다 곱하는 계수</translation>
    </message>
    <message>
        <source>steps from the base rate down to min_lr</source>
        <translation>기본 학습률에서 최소 학습률까지 내려가는 스텝 수</translation>
    </message>
    <message>
        <source>the rate after total_steps</source>
        <translation>총 스텝 수가 지난 뒤의 학습률</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>trainlab — chapter 6 lab</source>
        <translation>trainlab — 6장 학습 관련 기술들 실습</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>설정</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>실행 목록</translation>
    </message>
    <message>
        <source> or </source>
        <translation> 또는 </translation>
    </message>
    <message>
        <source>{tip} ({shortcuts})</source>
        <translation>{tip} ({shortcuts})</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>시작</translation>
    </message>
    <message>
        <source>train a run with the form&apos;s settings</source>
        <translation>양식의 설정으로 학습을 실행합니다</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>일시 정지</translation>
    </message>
    <message>
        <source>hold the run / go on</source>
        <translation>실행을 멈추거나 계속합니다</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>정지</translation>
    </message>
    <message>
        <source>end the run after its current step</source>
        <translation>현재 스텝이 끝나면 실행을 끝냅니다</translation>
    </message>
    <message>
        <source>Run controls</source>
        <translation>실행 제어</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>계속</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>실행(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Save runs…</source>
        <translation>실행 저장(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Load runs…</source>
        <translation>실행 불러오기(&amp;L)…</translation>
    </message>
    <message>
        <source>Export plot as &amp;PNG…</source>
        <translation>그래프를 PNG로 내보내기(&amp;P)…</translation>
    </message>
    <message>
        <source>Export plot data as &amp;CSV…</source>
        <translation>그래프 데이터를 CSV로 내보내기(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>종료(&amp;Q)</translation>
    </message>
    <message>
        <source>Cannot start</source>
        <translation>시작할 수 없음</translation>
    </message>
    <message>
        <source>{name} (replay)</source>
        <translation>{name} (재실행)</translation>
    </message>
    <message>
        <source>A run is training</source>
        <translation>학습 중인 실행이 있음</translation>
    </message>
    <message>
        <source>the form shows the running run&apos;s settings until it ends</source>
        <translation>실행이 끝날 때까지 양식에는 실행 중인 설정이 표시됩니다</translation>
    </message>
    <message>
        <source>Run is training</source>
        <translation>학습 중인 실행</translation>
    </message>
    <message>
        <source>step {steps}, {rate:.0f} steps/s</source>
        <translation>{steps}스텝, 초당 {rate:.0f}스텝</translation>
    </message>
    <message>
        <source>test acc {accuracy} at epoch {epoch}</source>
        <translation>에폭 {epoch}의 시험 정확도 {accuracy}</translation>
    </message>
    <message>
        <source>{steps} steps</source>
        <translation>{steps}스텝</translation>
    </message>
    <message>
        <source>final test acc {accuracy}</source>
        <translation>최종 시험 정확도 {accuracy}</translation>
    </message>
    <message>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message>
        <source>Save runs</source>
        <translation>실행 저장</translation>
    </message>
    <message>
        <source>Load runs</source>
        <translation>실행 불러오기</translation>
    </message>
    <message>
        <source>Cannot load</source>
        <translation>불러올 수 없음</translation>
    </message>
    <message>
        <source>whole view</source>
        <translation>보기 전체</translation>
    </message>
    <message>
        <source>plot</source>
        <translation>그래프</translation>
    </message>
    <message>
        <source>Export PNG</source>
        <translation>PNG 내보내기</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>CSV 내보내기</translation>
    </message>
</context>
<context>
    <name>ParallelCoordinates</name>
    <message>
        <source>{name} (log)</source>
        <translation>{name} (로그)</translation>
    </message>
</context>
<context>
    <name>ParameterPanel</name>
    <message>
        <source>Run</source>
        <translation>실행</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>신경망</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>갱신 방법</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>학습</translation>
    </message>
    <message>
        <source>While a run trains, the underlined settings change it from its next step; the others are locked.</source>
        <translation>학습 중에는 밑줄 친 설정을 바꾸면 다음 스텝부터 적용됩니다. 나머지 설정은 잠깁니다.</translation>
    </message>
    <message>
        <source>(changes the running run at its next step)</source>
        <translation>(실행 중인 학습에 다음 스텝부터 적용됨)</translation>
    </message>
</context>
<context>
    <name>PathsView</name>
    <message>
        <source>Run</source>
        <translation>실행</translation>
    </message>
    <message>
        <source>steps</source>
        <translation>스텝 수</translation>
    </message>
    <message>
        <source>steps per frame</source>
        <translation>프레임당 스텝 수</translation>
    </message>
    <message>
        <source>f(x, y) = x²/20 + y²: each optimizer&apos;s steps from (−7, 2)</source>
        <translation>f(x, y) = x²/20 + y²: (−7, 2)에서 출발한 갱신 방법별 경로</translation>
    </message>
    <message>
        <source>x (first parameter)</source>
        <translation>x (첫 번째 매개변수)</translation>
    </message>
    <message>
        <source>y (second parameter)</source>
        <translation>y (두 번째 매개변수)</translation>
    </message>
</context>
<context>
    <name>RunSpec</name>
    <message>
        <source>a label for the run (default: made from the settings)</source>
        <translation>실행의 이름 (기본값: 설정으로 만듦)</translation>
    </message>
    <message>
        <source>mnist, fashion-mnist, sample, a folder of IDX files, or default (MNIST, else Fashion-MNIST, else the embedded sample: whichever is on the machine; never downloads)</source>
        <translation>mnist, fashion-mnist, sample, IDX 파일이 있는 폴더, 또는 default (MNIST, 없으면 Fashion-MNIST, 그것도 없으면 내장 샘플: 컴퓨터에 있는 것을 쓰며 내려받지 않음)</translation>
    </message>
    <message>
        <source>use only the first N training samples</source>
        <translation>훈련 데이터 중 처음 N개만 사용</translation>
    </message>
    <message>
        <source>use only the first N test samples</source>
        <translation>시험 데이터 중 처음 N개만 사용</translation>
    </message>
    <message>
        <source>hidden layer sizes</source>
        <translation>은닉층의 크기 (뉴런 수)</translation>
    </message>
    <message>
        <source>activation of the hidden layers</source>
        <translation>은닉층의 활성화 함수</translation>
    </message>
    <message>
        <source>initial weights: he, xavier or a standard deviation</source>
        <translation>가중치 초깃값: he, xavier 또는 표준편차</translation>
    </message>
    <message>
        <source>batch normalization after every hidden affine layer</source>
        <translation>은닉층의 Affine 계층마다 뒤에 배치 정규화</translation>
    </message>
    <message>
        <source>dropout ratio after every hidden activation (0: none)</source>
        <translation>은닉층의 활성화 함수마다 뒤에 적용할 드롭아웃 비율 (0: 사용 안 함)</translation>
    </message>
    <message>
        <source>the network&apos;s L2 weight decay λ (the book&apos;s)</source>
        <translation>신경망의 L2 가중치 감소 λ (책의 방식)</translation>
    </message>
    <message>
        <source>the update rule</source>
        <translation>매개변수 갱신 방법</translation>
    </message>
    <message>
        <source>the optimizer&apos;s hyperparameters by name</source>
        <translation>갱신 방법의 하이퍼파라미터 (이름별)</translation>
    </message>
    <message>
        <source>a learning-rate schedule</source>
        <translation>학습률 스케줄</translation>
    </message>
    <message>
        <source>samples per mini-batch</source>
        <translation>미니배치당 샘플 수</translation>
    </message>
    <message>
        <source>epochs to train</source>
        <translation>학습할 에폭 수</translation>
    </message>
    <message>
        <source>seed of the initial weights, dropout masks and batches</source>
        <translation>가중치 초깃값, 드롭아웃 마스크, 배치를 정하는 시드</translation>
    </message>
    <message>
        <source>precision of the network</source>
        <translation>신경망의 수치 정밀도</translation>
    </message>
    <message>
        <source>training threads (default: trainlab&apos;s setting)</source>
        <translation>학습 스레드 수 (기본값: trainlab의 설정)</translation>
    </message>
    <message>
        <source>evaluate accuracy on only N samples per epoch</source>
        <translation>에폭마다 N개 샘플로만 정확도 평가</translation>
    </message>
    <message>
        <source>hyperparameter changes made while training, replayed</source>
        <translation>학습 중에 바꾼 하이퍼파라미터 (재실행하면 그대로 적용)</translation>
    </message>
</context>
<context>
    <name>RunsPanel</name>
    <message>
        <source>created</source>
        <translation>생성됨</translation>
    </message>
    <message>
        <source>running</source>
        <translation>실행 중</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>일시 정지</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>완료</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>중지됨</translation>
    </message>
    <message>
        <source>diverged</source>
        <translation>발산</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>실패</translation>
    </message>
    <message>
        <source>{status}, {steps} steps</source>
        <translation>{status}, {steps}스텝</translation>
    </message>
    <message>
        <source>, final test acc {accuracy}</source>
        <translation>, 최종 시험 정확도 {accuracy}</translation>
    </message>
    <message>
        <source>, test acc {accuracy} (epoch {epoch})</source>
        <translation>, 시험 정확도 {accuracy} (에폭 {epoch})</translation>
    </message>
    <message>
        <source>run</source>
        <translation>실행</translation>
    </message>
    <message>
        <source>status</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>steps</source>
        <translation>스텝</translation>
    </message>
    <message>
        <source>test acc</source>
        <translation>시험 정확도</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>삭제</translation>
    </message>
    <message>
        <source>Replay</source>
        <translation>재실행</translation>
    </message>
    <message>
        <source>Edit settings</source>
        <translation>설정 편집</translation>
    </message>
    <message>
        <source>train the selected run again exactly, with the hyperparameter changes made while it trained</source>
        <translation>선택한 실행을 학습 중에 바꾼 하이퍼파라미터까지 똑같이 다시 학습합니다</translation>
    </message>
    <message>
        <source>put the selected run&apos;s settings into the form</source>
        <translation>선택한 실행의 설정을 양식에 넣습니다</translation>
    </message>
    <message>
        <source>final test acc</source>
        <translation>최종 시험 정확도</translation>
    </message>
</context>
<context>
    <name>SearchView</name>
    <message>
        <source>random</source>
        <translation>무작위</translation>
    </message>
    <message>
        <source>staged</source>
        <translation>단계적</translation>
    </message>
    <message>
        <source>bayes</source>
        <translation>베이즈</translation>
    </message>
    <message>
        <source>tpe</source>
        <translation>TPE</translation>
    </message>
    <message>
        <source>gp</source>
        <translation>가우스 과정</translation>
    </message>
    <message>
        <source>median</source>
        <translation>중앙값</translation>
    </message>
    <message>
        <source>successive_halving</source>
        <translation>연속 반감</translation>
    </message>
    <message>
        <source>hyperband</source>
        <translation>Hyperband</translation>
    </message>
    <message>
        <source>lr</source>
        <translation>학습률</translation>
    </message>
    <message>
        <source>weight_decay</source>
        <translation>가중치 감소</translation>
    </message>
    <message>
        <source>the study&apos;s SQLite file (an existing one is shown, and a search started on it resumes it)</source>
        <translation>탐색 기록의 SQLite 파일 (이미 있으면 그 내용을 보여 주고, 거기서 시작한 탐색은 이어서 진행합니다)</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>열기</translation>
    </message>
    <message>
        <source>choose the store file</source>
        <translation>저장 파일 선택</translation>
    </message>
    <message>
        <source>store</source>
        <translation>저장 파일</translation>
    </message>
    <message>
        <source>no pruning</source>
        <translation>가지치기 없음</translation>
    </message>
    <message>
        <source>Start search</source>
        <translation>탐색 시작</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>정지</translation>
    </message>
    <message>
        <source>trials</source>
        <translation>시행 횟수</translation>
    </message>
    <message>
        <source>epochs</source>
        <translation>에폭 수</translation>
    </message>
    <message>
        <source>train samples</source>
        <translation>훈련 데이터 수</translation>
    </message>
    <message>
        <source>strategy</source>
        <translation>탐색 방법</translation>
    </message>
    <message>
        <source>no store open</source>
        <translation>열린 저장 파일 없음</translation>
    </message>
    <message>
        <source>each trial: lr and weight decay</source>
        <translation>시행별 학습률과 가중치 감소</translation>
    </message>
    <message>
        <source>learning rate (log)</source>
        <translation>학습률 (로그)</translation>
    </message>
    <message>
        <source>weight decay λ (log)</source>
        <translation>가중치 감소 λ (로그)</translation>
    </message>
    <message>
        <source>best so far (line), each trial (dots)</source>
        <translation>지금까지의 최고 (선), 시행별 결과 (점)</translation>
    </message>
    <message>
        <source>trial</source>
        <translation>시행</translation>
    </message>
    <message>
        <source>top {n} trials</source>
        <translation>상위 {n}개 시행</translation>
    </message>
    <message>
        <source>parallel coordinates (colour: validation accuracy)</source>
        <translation>평행 좌표 (색: 검증 정확도)</translation>
    </message>
    <message>
        <source>Search store</source>
        <translation>탐색 저장 파일</translation>
    </message>
    <message>
        <source>waiting for {path}</source>
        <translation>{path}을(를) 기다리는 중</translation>
    </message>
    <message>
        <source>search running…</source>
        <translation>탐색 중…</translation>
    </message>
    <message>
        <source>search failed: {error}</source>
        <translation>탐색 실패: {error}</translation>
    </message>
    <message>
        <source>val acc</source>
        <translation>검증 정확도</translation>
    </message>
    <message>
        <source>{n} trials in {path}</source>
        <translation>{path}의 시행 {n}회</translation>
    </message>
    <message>
        <source>; best #{trial} val acc {accuracy:.4f}</source>
        <translation>; 최고: #{trial} 검증 정확도 {accuracy:.4f}</translation>
    </message>
    <message>
        <source>validation accuracy</source>
        <translation>검증 정확도</translation>
    </message>
    <message>
        <source>state</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>초</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <source>a run is already training; stop it first</source>
        <translation>이미 학습 중인 실행이 있습니다. 먼저 정지하세요</translation>
    </message>
    <message>
        <source>no run is training</source>
        <translation>학습 중인 실행이 없습니다</translation>
    </message>
    <message>
        <source>stop the run before removing it</source>
        <translation>삭제하기 전에 실행을 정지하세요</translation>
    </message>
    <message>
        <source>not changed: {reason}</source>
        <translation>변경되지 않음: {reason}</translation>
    </message>
    <message>
        <source>{changes} from step {step}</source>
        <translation>{step}스텝부터 {changes}</translation>
    </message>
</context>
<context>
    <name>TrainingProcess</name>
    <message>
        <source>training process died: signal {signal}</source>
        <translation>학습 프로세스가 종료됨: 시그널 {signal}</translation>
    </message>
    <message>
        <source>training process exited with code {code} before the run ended</source>
        <translation>학습이 끝나기 전에 학습 프로세스가 코드 {code}로 종료됨</translation>
    </message>
</context>
<context>
    <name>experiments</name>
    <message>
        <source>test acc: {accuracies}</source>
        <translation>시험 정확도: {accuracies}</translation>
    </message>
    <message>
        <source>last-layer activation std: {stds}</source>
        <translation>마지막 층 활성화값의 표준편차: {stds}</translation>
    </message>
    <message>
        <source>activation distributions of 5 layers for sigmoid/tanh/ReLU and std 1, 0.01, Xavier, He; equal-weights symmetry demo (book figs. 6-10 to 6-14)</source>
        <translation>sigmoid/tanh/ReLU와 표준편차 1, 0.01, Xavier, He 초깃값에서 본 5층의 활성화값 분포, 가중치를 모두 같게 했을 때의 대칭 데모 (책의 그림 6-10~6-14)</translation>
    </message>
    <message>
        <source>sigmoid, tanh, relu (comma-separated)</source>
        <translation>sigmoid, tanh, relu (쉼표로 구분)</translation>
    </message>
    <message>
        <source>stds or xavier/he (comma-separated)</source>
        <translation>표준편차 또는 xavier/he (쉼표로 구분)</translation>
    </message>
    <message>
        <source>layers (book: 5)</source>
        <translation>층 수 (책: 5)</translation>
    </message>
    <message>
        <source>nodes per layer (book: 100)</source>
        <translation>층마다의 노드 수 (책: 100)</translation>
    </message>
    <message>
        <source>random inputs (book: 1000)</source>
        <translation>무작위 입력 데이터 수 (책: 1000)</translation>
    </message>
    <message>
        <source>histogram bins (book: 30)</source>
        <translation>히스토그램 구간 수 (책: 30)</translation>
    </message>
    <message>
        <source>SGD steps of the equal-weights demo (0 skips it)</source>
        <translation>가중치가 모두 같을 때의 데모에서 SGD 갱신 횟수 (0이면 생략)</translation>
    </message>
    <message>
        <source>batch norm ahead at {wins} of {scales} weight scales</source>
        <translation>가중치 스케일 {scales}가지 중 {wins}가지에서 배치 정규화가 앞섬</translation>
    </message>
    <message>
        <source>train accuracy with vs without batch normalization over 16 initial weight scales (book fig. 6-19); the layer&apos;s backward pass step by step: the Batch-norm graph view, trainlab.explain.batchnorm_graph</source>
        <translation>가중치 초깃값의 스케일 16가지에서 배치 정규화를 쓸 때와 쓰지 않을 때의 훈련 정확도 (책의 그림 6-19). 이 계층의 역전파를 한 단계씩 보려면 &apos;배치 정규화 그래프&apos; 보기, trainlab.explain.batchnorm_graph</translation>
    </message>
    <message>
        <source>number of weight scales (book: 16)</source>
        <translation>가중치 스케일의 수 (책: 16)</translation>
    </message>
    <message>
        <source>largest weight std (book: 1)</source>
        <translation>가중치 표준편차의 최댓값 (책: 1)</translation>
    </message>
    <message>
        <source>smallest (book: 1e-4)</source>
        <translation>최솟값 (책: 1e-4)</translation>
    </message>
    <message>
        <source>training samples (book: 1000)</source>
        <translation>훈련 데이터 수 (책: 1000)</translation>
    </message>
    <message>
        <source>epochs (book: 20)</source>
        <translation>에폭 수 (책: 20)</translation>
    </message>
    <message>
        <source>mini-batch size (book: 100)</source>
        <translation>미니배치 크기 (책: 100)</translation>
    </message>
    <message>
        <source>hidden layer sizes (book: 100,100,100,100,100)</source>
        <translation>은닉층의 크기 (책: 100,100,100,100,100)</translation>
    </message>
    <message>
        <source>optimizer (book: sgd)</source>
        <translation>갱신 방법 (책: sgd)</translation>
    </message>
    <message>
        <source>learning rate (book: 0.01)</source>
        <translation>학습률 (책: 0.01)</translation>
    </message>
    <message>
        <source>loss curves of SGD, Momentum, AdaGrad, Adam on one network and the same batches (book fig. 6-9)</source>
        <translation>같은 신경망과 같은 배치로 본 SGD, Momentum, AdaGrad, Adam의 손실 곡선 (책의 그림 6-9)</translation>
    </message>
    <message>
        <source>which optimizers (comma-separated); all six are available</source>
        <translation>사용할 갱신 방법 (쉼표로 구분, 여섯 가지 모두 사용 가능)</translation>
    </message>
    <message>
        <source>learning rate for all, or per optimizer: sgd=0.1,adam=0.002 (book: 0.01, Adam 0.001)</source>
        <translation>모든 갱신 방법에 같은 학습률, 또는 갱신 방법별 학습률: sgd=0.1,adam=0.002 (책: 0.01, Adam은 0.001)</translation>
    </message>
    <message>
        <source>mini-batch steps (book: 2000)</source>
        <translation>미니배치 학습 횟수 (책: 2000)</translation>
    </message>
    <message>
        <source>mini-batch size (book: 128)</source>
        <translation>미니배치 크기 (책: 128)</translation>
    </message>
    <message>
        <source>hidden layer sizes (book: 100,100,100,100)</source>
        <translation>은닉층의 크기 (책: 100,100,100,100)</translation>
    </message>
    <message>
        <source>trainlab, or reference (the book&apos;s NumPy code, float64)</source>
        <translation>trainlab 또는 reference (책의 NumPy 코드, float64)</translation>
    </message>
    <message>
        <source>std 0.01 vs Xavier vs He initial weights on a 5-layer ReLU network (book fig. 6-15)</source>
        <translation>ReLU를 쓰는 5층 신경망에서 가중치 초깃값 비교: 표준편차 0.01, Xavier, He (책의 그림 6-15)</translation>
    </message>
    <message>
        <source>initialisations: he, xavier or a std (comma-separated)</source>
        <translation>초깃값: he, xavier 또는 표준편차 (쉼표로 구분)</translation>
    </message>
    <message>
        <source>relu, sigmoid or tanh</source>
        <translation>relu, sigmoid 또는 tanh</translation>
    </message>
    <message>
        <source>optimizer name (book: sgd)</source>
        <translation>갱신 방법 이름 (책: sgd)</translation>
    </message>
    <message>
        <source>ensemble of {n}: {ensemble:.4f} vs mean member {mean:.4f} (best {best:.4f})</source>
        <translation>모델 {n}개의 앙상블: {ensemble:.4f}, 개별 모델 평균 {mean:.4f} (최고 {best:.4f})</translation>
    </message>
    <message>
        <source>N independently trained networks: averaged outputs vs each member&apos;s test accuracy</source>
        <translation>따로따로 학습시킨 신경망 N개: 출력을 평균 낸 결과와 각 모델의 시험 정확도 비교</translation>
    </message>
    <message>
        <source>networks in the ensemble</source>
        <translation>앙상블의 신경망 수</translation>
    </message>
    <message>
        <source>mini-batch steps per member</source>
        <translation>모델마다의 미니배치 학습 횟수</translation>
    </message>
    <message>
        <source>mini-batch size</source>
        <translation>미니배치 크기</translation>
    </message>
    <message>
        <source>hidden layer sizes</source>
        <translation>은닉층의 크기</translation>
    </message>
    <message>
        <source>optimizer</source>
        <translation>갱신 방법</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>학습률</translation>
    </message>
    <message>
        <source>training samples (default: all)</source>
        <translation>훈련 데이터 수 (기본값: 전부)</translation>
    </message>
    <message>
        <source>test samples (default: all)</source>
        <translation>시험 데이터 수 (기본값: 전부)</translation>
    </message>
    <message>
        <source>best val acc {accuracy:.3f} (trial {trial}: {params})</source>
        <translation>최고 검증 정확도 {accuracy:.3f} (시행 {trial}: {params})</translation>
    </message>
    <message>
        <source>all {n} trials failed: {error} ({count} trials)</source>
        <translation>시행 {n}회가 모두 실패: {error} ({count}회)</translation>
    </message>
    <message>
        <source>random / staged / Bayesian search of lr and weight decay on a validation split (book fig. 6-24)</source>
        <translation>검증 데이터로 학습률과 가중치 감소를 무작위/단계적/베이즈 탐색 (책의 그림 6-24)</translation>
    </message>
    <message>
        <source>random, staged, tpe or gp (Bayesian, Optuna), bayes (gp with PyTorch, else tpe)</source>
        <translation>random, staged, tpe 또는 gp (베이즈 최적화, Optuna), bayes (PyTorch가 있으면 gp, 없으면 tpe)</translation>
    </message>
    <message>
        <source>trials in the study (book: 100)</source>
        <translation>시행 횟수 (책: 100)</translation>
    </message>
    <message>
        <source>epochs per trial (book: 50)</source>
        <translation>시행당 에폭 수 (책: 50)</translation>
    </message>
    <message>
        <source>training samples used, validation included (book: 500)</source>
        <translation>사용할 훈련 데이터 수, 검증 데이터 포함 (책: 500)</translation>
    </message>
    <message>
        <source>fraction of them held out for validation (book: 0.2)</source>
        <translation>그중 검증 데이터로 떼어 둘 비율 (책: 0.2)</translation>
    </message>
    <message>
        <source>log-uniform learning rate range low,high (book: 1e-6,1e-2)</source>
        <translation>로그 스케일에서 고르게 뽑을 학습률 범위 low,high (책: 1e-6,1e-2)</translation>
    </message>
    <message>
        <source>log-uniform weight decay range (book: 1e-8,1e-4)</source>
        <translation>로그 스케일에서 고르게 뽑을 가중치 감소 범위 (책: 1e-8,1e-4)</translation>
    </message>
    <message>
        <source>hidden layer sizes, one size repeated (book: 100 x 6)</source>
        <translation>은닉층의 크기, 한 크기를 반복 (책: 100 x 6)</translation>
    </message>
    <message>
        <source>optimizer of every trial (book: sgd)</source>
        <translation>모든 시행의 갱신 방법 (책: sgd)</translation>
    </message>
    <message>
        <source>none, median (stop trials below the median curve), successive_halving or hyperband (Optuna&apos;s: only the best 1/3 pass rungs at epochs/9, epochs/3)</source>
        <translation>none, median (중앙값 곡선보다 낮은 시행을 중단), successive_halving 또는 hyperband (Optuna의 방식: 에폭 수/9, 에폭 수/3 지점에서 상위 1/3만 통과)</translation>
    </message>
    <message>
        <source>SQLite file of the study; an existing one is resumed</source>
        <translation>탐색 기록의 SQLite 파일 (이미 있으면 이어서 진행)</translation>
    </message>
    <message>
        <source>worker processes (default: all cores)</source>
        <translation>작업 프로세스 수 (기본값: 모든 코어)</translation>
    </message>
    <message>
        <source>Dask scheduler address, e.g. tcp://host:8786</source>
        <translation>Dask 스케줄러 주소 (예: tcp://host:8786)</translation>
    </message>
    <message>
        <source>validation curves kept for the best trials (book: 20)</source>
        <translation>검증 곡선을 남길 상위 시행 수 (책: 20)</translation>
    </message>
    <message>
        <source>final f: {values}</source>
        <translation>최종 f: {values}</translation>
    </message>
    <message>
        <source>paths of the six optimizers on f(x, y) = x²/20 + y² from (−7, 2) (book fig. 6-8)</source>
        <translation>f(x, y) = x²/20 + y²에서 (−7, 2)부터 출발한 여섯 가지 갱신 방법의 경로 (책의 그림 6-8)</translation>
    </message>
    <message>
        <source>which optimizers (comma-separated)</source>
        <translation>사용할 갱신 방법 (쉼표로 구분)</translation>
    </message>
    <message>
        <source>learning rate for all, or per optimizer: sgd=0.9,adam=0.2 (default: the book&apos;s per optimizer)</source>
        <translation>모든 갱신 방법에 같은 학습률, 또는 갱신 방법별 학습률: sgd=0.9,adam=0.2 (기본값: 갱신 방법별 책의 값)</translation>
    </message>
    <message>
        <source>update steps per optimizer (book: 30)</source>
        <translation>갱신 방법마다의 갱신 횟수 (책: 30)</translation>
    </message>
    <message>
        <source>start point x,y</source>
        <translation>시작점 x,y</translation>
    </message>
    <message>
        <source>train/test gap: {gaps}</source>
        <translation>훈련/시험 정확도 차이: {gaps}</translation>
    </message>
    <message>
        <source>300 training samples overfit; weight decay and dropout narrow the train/test gap (book figs. 6-20, 6-21, 6-23)</source>
        <translation>훈련 데이터 300개로 일으킨 오버피팅을 가중치 감소와 드롭아웃으로 억제하여 훈련/시험 정확도 차이를 줄임 (책의 그림 6-20, 6-21, 6-23)</translation>
    </message>
    <message>
        <source>training samples (book: 300)</source>
        <translation>훈련 데이터 수 (책: 300)</translation>
    </message>
    <message>
        <source>test samples evaluated each epoch (default: all)</source>
        <translation>에폭마다 평가할 시험 데이터 수 (기본값: 전부)</translation>
    </message>
    <message>
        <source>epochs (book: 200 / 300)</source>
        <translation>에폭 수 (책: 200 / 300)</translation>
    </message>
    <message>
        <source>hidden layer sizes (book: 100 x 6)</source>
        <translation>은닉층의 크기 (책: 100 x 6)</translation>
    </message>
    <message>
        <source>L2 λ (book: 0.1; 0 drops the variant)</source>
        <translation>L2 가중치 감소 λ (책: 0.1, 0이면 이 조건은 뺌)</translation>
    </message>
    <message>
        <source>dropout ratios, one variant each (book: 0.2)</source>
        <translation>드롭아웃 비율, 비율마다 조건 하나 (책: 0.2)</translation>
    </message>
</context>
<context>
    <name>explain</name>
    <message>
        <source>input</source>
        <translation>입력</translation>
    </message>
    <message>
        <source>scale</source>
        <translation>확대</translation>
    </message>
    <message>
        <source>shift</source>
        <translation>이동</translation>
    </message>
    <message>
        <source>mean over the batch</source>
        <translation>배치 평균</translation>
    </message>
    <message>
        <source>elementwise</source>
        <translation>원소별</translation>
    </message>
    <message>
        <source>summed over the N rows</source>
        <translation>N개 행에 걸쳐 합산</translation>
    </message>
    <message>
        <source>the same for every row</source>
        <translation>모든 행에 같은 값</translation>
    </message>
    <message>
        <source>{gradient} (from the loss)</source>
        <translation>{gradient} (손실에서)</translation>
    </message>
    <message>
        <source>({got} of {total} paths)</source>
        <translation>(경로 {total}개 중 {got}개)</translation>
    </message>
    <message>
        <source>Forward pass: every node shows its value. The gradient dout arrives at out from the layer above; step backward to follow it down the graph.</source>
        <translation>순전파: 노드마다 그 값을 보여 줍니다. 기울기 dout은 위 계층에서 out에 도착합니다. 역전파를 한 단계씩 진행하며 그래프를 따라 내려가 보세요.</translation>
    </message>
    <message>
        <source>Backward pass done: {check}</source>
        <translation>역전파 완료: {check}</translation>
    </message>
    <message>
        <source>upstream</source>
        <translation>상류</translation>
    </message>
    <message>
        <source>local</source>
        <translation>국소적 미분</translation>
    </message>
    <message>
        <source>Step {stage} of {steps}, at {node}: the upstream gradient times each local gradient goes to {targets}.</source>
        <translation>{steps}단계 중 {stage}단계, {node}: 상류에서 온 기울기에 각 국소적 미분을 곱한 값이 {targets}(으)로 전해집니다.</translation>
    </message>
    <message>
        <source> and </source>
        <translation> 및 </translation>
    </message>
    <message>
        <source>dx, dγ, dβ equal the compiled kernel&apos;s result (largest difference {diff})</source>
        <translation>dx, dγ, dβ는 컴파일된 커널의 결과와 같고 (최대 차이 {diff})</translation>
    </message>
    <message>
        <source>dx, dγ, dβ DIFFER FROM the compiled kernel&apos;s result (largest difference {diff})</source>
        <translation>dx, dγ, dβ는 컴파일된 커널의 결과와 다르고 (최대 차이 {diff})</translation>
    </message>
    <message>
        <source>equal the numerical gradient by central differences in float64 (largest difference {diff})</source>
        <translation>float64에서 중심 차분의 수치 미분으로 구한 기울기와 같습니다 (최대 차이 {diff})</translation>
    </message>
    <message>
        <source>DIFFER FROM the numerical gradient by central differences in float64 (largest difference {diff})</source>
        <translation>float64에서 중심 차분의 수치 미분으로 구한 기울기와 다릅니다 (최대 차이 {diff})</translation>
    </message>
    <message>
        <source>{kernel} and {numerical}.</source>
        <translation>{kernel}, {numerical}.</translation>
    </message>
</context>
<context>
    <name>figures</name>
    <message>
        <source>loss (cross-entropy)</source>
        <translation>손실 (교차 엔트로피 오차)</translation>
    </message>
    <message>
        <source>iterations (mini-batches)</source>
        <translation>반복 횟수 (미니배치)</translation>
    </message>
    <message>
        <source>epochs (0: before training)</source>
        <translation>에폭 (0: 학습 전)</translation>
    </message>
    <message>
        <source>accuracy (0–1)</source>
        <translation>정확도 (0–1)</translation>
    </message>
    <message>
        <source>train accuracy (0–1)</source>
        <translation>훈련 정확도 (0–1)</translation>
    </message>
    <message>
        <source>test accuracy (0–1)</source>
        <translation>시험 정확도 (0–1)</translation>
    </message>
    <message>
        <source>validation accuracy (0–1)</source>
        <translation>검증 정확도 (0–1)</translation>
    </message>
    <message>
        <source>train (solid)</source>
        <translation>훈련 (실선)</translation>
    </message>
    <message>
        <source>test (dashed)</source>
        <translation>시험 (점선)</translation>
    </message>
    <message>
        <source>one panel each</source>
        <translation>하나씩 따로</translation>
    </message>
    <message>
        <source>overlaid</source>
        <translation>겹쳐 보기</translation>
    </message>
    <message>
        <source>training loss (faded: per mini-batch; line: the book&apos;s smooth_curve)</source>
        <translation>훈련 손실 (흐린 선: 미니배치별, 진한 선: 책의 smooth_curve)</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>손실</translation>
    </message>
    <message>
        <source>{init} · {k}-layer</source>
        <translation>{init} · {k}층</translation>
    </message>
    <message>
        <source>{activation} output</source>
        <translation>{activation} 출력</translation>
    </message>
    <message>
        <source>count (activations per bin)</source>
        <translation>빈도 (구간별 활성화값 수)</translation>
    </message>
    <message>
        <source>weight std {scale}</source>
        <translation>가중치 표준편차 {scale}</translation>
    </message>
    <message>
        <source>Batch Normalization</source>
        <translation>배치 정규화</translation>
    </message>
    <message>
        <source>Normal (without BN)</source>
        <translation>일반 (배치 정규화 없음)</translation>
    </message>
    <message>
        <source>{title} (Normal diverged)</source>
        <translation>{title} (일반은 발산)</translation>
    </message>
    <message>
        <source>train accuracy</source>
        <translation>훈련 정확도</translation>
    </message>
    <message>
        <source>weight decay λ = {value}</source>
        <translation>가중치 감소 λ = {value}</translation>
    </message>
    <message>
        <source>dropout ratio {value}</source>
        <translation>드롭아웃 비율 {value}</translation>
    </message>
    <message>
        <source>baseline</source>
        <translation>억제 없음</translation>
    </message>
    <message>
        <source>loss (cross-entropy + λ/2·ΣW²)</source>
        <translation>손실 (교차 엔트로피 오차 + λ/2·ΣW²)</translation>
    </message>
    <message>
        <source>{variant}: training loss</source>
        <translation>{variant}: 훈련 손실</translation>
    </message>
    <message>
        <source>accuracy and loss</source>
        <translation>정확도와 손실</translation>
    </message>
    <message>
        <source>member {k}</source>
        <translation>모델 {k}</translation>
    </message>
    <message>
        <source>training loss of each member</source>
        <translation>모델별 훈련 손실</translation>
    </message>
    <message>
        <source>each member alone</source>
        <translation>개별 모델</translation>
    </message>
    <message>
        <source>average of members 1..K</source>
        <translation>모델 1..K의 평균</translation>
    </message>
    <message>
        <source>test accuracy</source>
        <translation>시험 정확도</translation>
    </message>
    <message>
        <source>members K</source>
        <translation>모델 수 K</translation>
    </message>
    <message>
        <source>best validation accuracy so far</source>
        <translation>지금까지의 최고 검증 정확도</translation>
    </message>
    <message>
        <source>trials finished</source>
        <translation>끝난 시행 수</translation>
    </message>
    <message>
        <source>best so far</source>
        <translation>지금까지의 최고</translation>
    </message>
    <message>
        <source>every trial: its learning rate and validation accuracy</source>
        <translation>시행별 학습률과 검증 정확도</translation>
    </message>
    <message>
        <source>learning rate (log scale)</source>
        <translation>학습률 (로그 스케일)</translation>
    </message>
    <message>
        <source>one trial</source>
        <translation>시행 하나</translation>
    </message>
    <message>
        <source>Best-{rank}: trial {trial}</source>
        <translation>Best-{rank}: 시행 {trial}</translation>
    </message>
    <message>
        <source>epochs</source>
        <translation>에폭</translation>
    </message>
    <message>
        <source>validation accuracy</source>
        <translation>검증 정확도</translation>
    </message>
    <message>
        <source>overview</source>
        <translation>개요</translation>
    </message>
    <message>
        <source>best trials</source>
        <translation>상위 시행</translation>
    </message>
</context>
<context>
    <name>form</name>
    <message>
        <source>name</source>
        <translation>이름</translation>
    </message>
    <message>
        <source>dataset</source>
        <translation>데이터셋</translation>
    </message>
    <message>
        <source>train size</source>
        <translation>훈련 데이터 수</translation>
    </message>
    <message>
        <source>test size</source>
        <translation>시험 데이터 수</translation>
    </message>
    <message>
        <source>hidden</source>
        <translation>은닉층</translation>
    </message>
    <message>
        <source>activation</source>
        <translation>활성화 함수</translation>
    </message>
    <message>
        <source>weight init</source>
        <translation>가중치 초깃값</translation>
    </message>
    <message>
        <source>batch norm</source>
        <translation>배치 정규화</translation>
    </message>
    <message>
        <source>dropout</source>
        <translation>드롭아웃</translation>
    </message>
    <message>
        <source>weight decay λ</source>
        <translation>가중치 감소 λ</translation>
    </message>
    <message>
        <source>optimizer</source>
        <translation>갱신 방법</translation>
    </message>
    <message>
        <source>lr schedule</source>
        <translation>학습률 스케줄</translation>
    </message>
    <message>
        <source>batch size</source>
        <translation>배치 크기</translation>
    </message>
    <message>
        <source>epochs</source>
        <translation>에폭 수</translation>
    </message>
    <message>
        <source>seed</source>
        <translation>시드</translation>
    </message>
    <message>
        <source>precision</source>
        <translation>수치 정밀도</translation>
    </message>
    <message>
        <source>threads</source>
        <translation>스레드 수</translation>
    </message>
    <message>
        <source>eval samples</source>
        <translation>평가 샘플 수</translation>
    </message>
    <message>
        <source>changes</source>
        <translation>학습 중 변경</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>학습률</translation>
    </message>
    <message>
        <source>momentum</source>
        <translation>모멘텀</translation>
    </message>
    <message>
        <source>decay rate</source>
        <translation>감쇠율</translation>
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
        <translation>감쇠 간격</translation>
    </message>
    <message>
        <source>gamma</source>
        <translation>감쇠 계수 γ</translation>
    </message>
    <message>
        <source>total steps</source>
        <translation>총 스텝 수</translation>
    </message>
    <message>
        <source>min lr</source>
        <translation>최소 학습률</translation>
    </message>
    <message>
        <source>default</source>
        <translation>기본값</translation>
    </message>
    <message>
        <source>sample</source>
        <translation>샘플</translation>
    </message>
    <message>
        <source>none</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>constant</source>
        <translation>일정</translation>
    </message>
    <message>
        <source>step</source>
        <translation>계단식 감소</translation>
    </message>
    <message>
        <source>exponential</source>
        <translation>지수 감소</translation>
    </message>
    <message>
        <source>cosine</source>
        <translation>코사인 감소</translation>
    </message>
    <message>
        <source>all</source>
        <translation>전부</translation>
    </message>
</context>
<context>
    <name>naming</name>
    <message>
        <source>all</source>
        <translation>전부</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>예</translation>
    </message>
    <message>
        <source>no</source>
        <translation>아니요</translation>
    </message>
    <message>
        <source>none</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>default</source>
        <translation>기본값</translation>
    </message>
    <message>
        <source>{change} at step {step}</source>
        <translation>{step}스텝에서 {change}</translation>
    </message>
</context>
<context>
    <name>probes</name>
    <message>
        <source>activations</source>
        <translation>활성화값</translation>
    </message>
    <message>
        <source>weights W</source>
        <translation>가중치 W</translation>
    </message>
</context>
<context>
    <name>search</name>
    <message>
        <source>{n} trials ({complete} complete, {pruned} pruned, {diverged} diverged, {failed} failed)</source>
        <translation>시행 {n}회 (완료 {complete}, 가지치기 {pruned}, 발산 {diverged}, 실패 {failed})</translation>
    </message>
    <message>
        <source>; {failed} failed; {cause} ({count} trials)</source>
        <translation>; 실패 {failed}회: {cause} (시행 {count}회)</translation>
    </message>
    <message>
        <source>, and {n} other errors</source>
        <translation>, 그 밖의 오류 {n}가지</translation>
    </message>
    <message>
        <source>; best: trial {trial}, val acc {accuracy:.4f} | {params}</source>
        <translation>; 최고: 시행 {trial}, 검증 정확도 {accuracy:.4f} | {params}</translation>
    </message>
</context>
<context>
    <name>views</name>
    <message>
        <source>Batch-norm graph</source>
        <translation>배치 정규화 그래프</translation>
    </message>
    <message>
        <source>Curves</source>
        <translation>학습 곡선</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>손실</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>정확도</translation>
    </message>
    <message>
        <source>Experiments</source>
        <translation>실험</translation>
    </message>
    <message>
        <source>Histograms</source>
        <translation>히스토그램</translation>
    </message>
    <message>
        <source>Optimizer paths</source>
        <translation>갱신 방법별 경로</translation>
    </message>
    <message>
        <source>paths</source>
        <translation>경로</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>탐색</translation>
    </message>
    <message>
        <source>lr vs weight decay</source>
        <translation>학습률과 가중치 감소</translation>
    </message>
    <message>
        <source>best so far</source>
        <translation>지금까지의 최고</translation>
    </message>
    <message>
        <source>top trials</source>
        <translation>상위 시행</translation>
    </message>
</context>
</TS>
